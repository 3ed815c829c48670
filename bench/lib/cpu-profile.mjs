// `bench/run.mjs --cpu-prof`: loaded into every app with NODE_OPTIONS=--import (Node refuses
// --cpu-prof itself in NODE_OPTIONS), it records a V8 CPU profile from start-up to exit and writes
// it to $BENCH_CPU_PROF_DIR/<app>-<pid>.cpuprofile (open it in Chrome DevTools › Performance).
// One-shot commands (`main.js migrate`) are not profiled.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
const script = process.argv[1] ?? '';

if (dir && !process.argv.includes('migrate')) {
  const name = script.endsWith('main.js') ? basename(dirname(script)) : basename(script, '.mjs');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // The in-process inspector answers synchronously, so this works in an exit handler.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
