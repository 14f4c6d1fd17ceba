// Starts the release server on a free loopback port with a fresh data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

export async function startServer(extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'reflector-e2e-'));
  const binary = process.env.REFLECTOR_BINARY ?? join(repoRoot, 'target', 'release', 'reflector');
  const env = {
    PATH: process.env.PATH,
    RUST_LOG: 'warn',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    ...extraEnv,
  };
  const child = spawn(binary, ['serve'], { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy within 20 s:\n${log}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return {
    url,
    dataDir,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
