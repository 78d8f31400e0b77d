/**
 * One tfjs instance on the wasm backend for the whole process. face-api's node-wasm
 * build and our own graph models share it (both `require('@tensorflow/tfjs')`), so the
 * backend is initialised once and every model lives in the same engine.
 */
import path from 'node:path';
import type * as TfType from '@tensorflow/tfjs';

export type Tf = typeof TfType;

let ready: Promise<Tf> | undefined;

/** Directory holding the `tfjs-backend-wasm*.wasm` binaries, resolved from the installed package. */
function wasmDirectory(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

/** Loads tfjs and selects the wasm backend (idempotent, concurrent-safe). */
export function loadTf(): Promise<Tf> {
  ready ??= (async () => {
    const tf: Tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // A plain file-path prefix: in Node the emscripten loader reads it with fs, no URL fetch.
    wasm.setWasmPaths(wasmDirectory());
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
    await tf.ready();
    return tf;
  })();
  ready.catch(() => { ready = undefined; });
  return ready;
}
