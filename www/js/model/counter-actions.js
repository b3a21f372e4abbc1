// What staff may do at one counter of a department now, for the console to enable and say: no DOM,
// so Node tests check it on a department's real state.

/**
 * For `dept` (a Department) at `counter` (null without counters; undefined while this device has
 * not chosen one): `{ call, atCounter, noShow, calls, nextGroup }`. `call`: a number may be
 * called (the next, a group's next, a waiting one); `atCounter`: someone is at the counter, so
 * call again, finish, park and transfer apply; `noShow`: the ticket there had the calls the
 * department asks for before a no-show; `calls`: `{ calls, needed }` while a ticket is at the
 * counter of a department that asks for more than one call (null otherwise); `nextGroup`: the
 * id of the group called next where the department has groups (null otherwise, or nobody waits).
 */
export function counterActions(dept, counter) {
  const { asleep } = dept.view();
  const chosen = counter !== undefined;
  const seat = chosen ? dept.seat(counter) : null;
  const needed = dept.callsBeforeNoShow;
  const atCounter = chosen && !asleep && seat !== null;
  const grouped = (dept.config.groups ?? []).length > 0;
  return {
    call: chosen,
    atCounter,
    noShow: atCounter && seat.calls >= needed,
    calls: seat !== null && needed > 1 ? { calls: seat.calls, needed } : null,
    nextGroup: grouped ? dept.nextGroup() : null,
  };
}
