// Reads a password typed on the terminal without showing it, as the hub scripts ask for them.
// Raw mode, because readline echoes what is typed; raw mode also turns Ctrl-C into a character,
// so it is handled here.

/** Thrown when the person at the terminal gives up (Ctrl-C, or Ctrl-D on an empty line). */
export class Interrupted extends Error {}

/** Prints `prompt` on stderr and resolves with the line typed (the terminal must be stdin). */
export function askPassword(prompt) {
  const { stdin, stderr } = process;
  // Raw before the prompt: what is typed as soon as it shows must not be echoed either.
  stdin.setRawMode(true);
  stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = [];
    const finish = (error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
    };
    const onData = (chunk) => {
      // Code points, not UTF-16 units: backspace must take a whole character off.
      for (const key of chunk) {
        if (key === '\r' || key === '\n') return finish();
        if (key === '\u0003' || (key === '\u0004' && typed.length === 0)) return finish(new Interrupted('interrupted'));
        if (key === '\u001b') break; // an arrow or function key: its sequence is the rest of the chunk
        if (key === '\u007f' || key === '\b') typed = typed.slice(0, -1);
        else if (key >= ' ') typed.push(key);
      }
    };
    stdin.on('data', onData);
  });
}
