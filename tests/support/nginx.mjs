// Runs deploy/nginx/take-a-number.conf, the shipped server configuration, in a throwaway
// Debian nginx: on a free port, serving `root`, with every path of its own in a temporary
// folder (not the system nginx). Only `listen` and `root` of the shipped file are replaced.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp } from './browser.mjs';

export const siteConfig = new URL('../../deploy/nginx/take-a-number.conf', import.meta.url);

export function nginxPath() {
  return process.env.NGINX ?? ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? 'nginx';
}

/** Starts nginx; returns { origin, port, stop(), log() } once it answers. */
export async function startNginx({ root, port }) {
  port ??= await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'take-a-number-nginx-'));
  const shipped = await readFile(siteConfig, 'utf8');
  const replaceAll = (text, directive, value) => {
    const pattern = new RegExp(`^(\\s*)${directive}\\s+[^;]+;\\n`, 'gm');
    if (!pattern.test(text)) throw new Error(`no "${directive}" directive in ${siteConfig.pathname}`);
    let first = true;
    return text.replace(pattern, (_, indent) => {
      const line = first ? `${indent}${directive} ${value};\n` : '';
      first = false;
      return line;
    });
  };
  const site = replaceAll(replaceAll(shipped, 'listen', `127.0.0.1:${port}`), 'root', JSON.stringify(root));
  await writeFile(join(dir, 'site.conf'), site);
  // What Debian's /etc/nginx/nginx.conf sets around a site, with this folder for every path.
  await writeFile(join(dir, 'nginx.conf'), `
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    gzip on;
    include ${dir}/site.conf;
}
`);
  const child = spawn(nginxPath(), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const origin = `http://127.0.0.1:${port}`;
  const log = async () => `${stderr}${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`;
  try {
    await Promise.race([
      waitForHttp(`${origin}/`),
      exited.then((code) => { throw new Error(`nginx exited (${code})`); }),
    ]);
  } catch (error) {
    throw new Error(`${error.message}\n${await log()}`);
  }
  return {
    origin,
    port,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
