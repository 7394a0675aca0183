/**
 * Starts a real nginx (Debian's, with the njs module) in the foreground as a single process, the
 * way test/support/nats-server.ts starts nats-server: everything under a temp prefix (`-p`), a
 * generated `-c` config, the error log given with `-e` before the config is read, every temp path,
 * the pid file and the error log inside the prefix, so the system nginx (port 80, /var/log/nginx,
 * /run/nginx.pid) is never touched. The caller picks the listen ports (test/support/ports.ts) and
 * writes the servers; `links` places files or folders (symlinks) in the config folder, against
 * which nginx resolves relative `include` and `js_import` paths.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binaries.js';
import { waitForTcp } from './ports.js';

/** Where Debian (libnginx-mod-http-js) and nginx.org packages put the njs module. */
const NJS_MODULE_PATHS = ['/usr/lib/nginx/modules/ngx_http_js_module.so', '/usr/lib64/nginx/modules/ngx_http_js_module.so', '/etc/nginx/modules/ngx_http_js_module.so'];

export function findNjsModule(): string {
  for (const p of NJS_MODULE_PATHS) {
    try {
      accessSync(p);
      return p;
    } catch {
      // next
    }
  }
  throw new Error(`ngx_http_js_module.so not found in ${NJS_MODULE_PATHS.join(', ')}: install it (apt-get install libnginx-mod-http-js) or run npm test as root`);
}

export interface NginxOptions {
  /** Content of `http { }`: upstreams, servers, includes. */
  http: string;
  /** Lines for the main context, e.g. `env LOWSLOW_KEY_SECRET;`. */
  main?: string;
  /** nginx's environment (it keeps only what `env` directives name). */
  env?: Record<string, string>;
  /** name in the config folder → file or folder it links to. */
  links?: Record<string, string>;
  /** TCP ports the servers listen on: start() resolves once every one accepts connections. */
  ports: number[];
}

export interface Nginx {
  /** The prefix folder; the config is conf/nginx.conf inside it. */
  dir: string;
  confDir: string;
  /** What nginx wrote to its error log so far. */
  errorLog(): string;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startNginx(opts: NginxOptions): Promise<Nginx> {
  const bin = findBinary('nginx', 'nginx');
  const njs = findNjsModule();
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-nginx-'));
  const confDir = join(dir, 'conf');
  const temp = join(dir, 'temp');
  mkdirSync(confDir);
  mkdirSync(temp);
  for (const [name, target] of Object.entries(opts.links ?? {})) symlinkSync(target, join(confDir, name));
  const errorLog = join(dir, 'error.log');
  const conf = join(confDir, 'nginx.conf');
  writeFileSync(
    conf,
    `load_module ${njs};
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} info;
${opts.main ?? ''}
events { worker_connections 256; }
http {
  client_body_temp_path ${join(temp, 'body')};
  proxy_temp_path ${join(temp, 'proxy')};
  fastcgi_temp_path ${join(temp, 'fastcgi')};
  uwsgi_temp_path ${join(temp, 'uwsgi')};
  scgi_temp_path ${join(temp, 'scgi')};
  access_log off;
  ${opts.http}
}
`,
  );
  const child: ChildProcess = spawn(bin, ['-p', `${dir}/`, '-c', conf, '-e', errorLog, '-g', 'daemon off; master_process off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: opts.env ?? {},
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const readErrorLog = () => {
    try {
      return readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  try {
    for (const port of opts.ports) await waitForTcp(port, 10_000, () => !exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`nginx did not start: ${(err as Error).message}\n${stderr}\n${readErrorLog().slice(-4000)}`);
  }
  const server: Nginx = {
    dir,
    confDir,
    errorLog: readErrorLog,
    stop: async () => {
      if (!exited) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // QUIT: graceful, so buffered access logs are flushed.
        child.kill('SIGQUIT');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]: () => server.stop(),
  };
  return server;
}
