#!/usr/bin/env node
// Runs the fake Gemini server outside vitest.
//   node test/fake-gemini/start.mjs                  prints the URL as its only stdout line; runs until killed
//   node test/fake-gemini/start.mjs -- node app.mjs  runs app.mjs against it (env + preload via NODE_OPTIONS),
//                                                    then exits with the program's status
// In the first form, GET $URL/__fake/requests returns the recorded requests and POST $URL/__fake/reset clears them.
import { spawn } from 'node:child_process';
import { startFakeGemini, fakeGeminiEnv, PRELOAD } from './server.mjs';

const fake = await startFakeGemini();
const dash = process.argv.indexOf('--');
const command = dash === -1 ? [] : process.argv.slice(dash + 1);

if (command.length === 0) {
  process.stdout.write(`${fake.url}\n`);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => fake.close().then(() => process.exit(0)));
} else {
  process.stderr.write(`fake-gemini: ${fake.url}\n`);
  const env = fakeGeminiEnv(fake.url);
  // NODE_OPTIONS reaches node grandchildren too (npx, tsx, ...), so they get the network guard as well.
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${JSON.stringify(PRELOAD)}`.trim();
  const child = spawn(/** @type {string} */ (command[0]), command.slice(1), { stdio: 'inherit', env });
  child.on('exit', async (code, signal) => {
    await fake.close();
    process.exit(code ?? (signal ? 1 : 0));
  });
}
