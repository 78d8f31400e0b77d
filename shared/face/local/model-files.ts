/**
 * Reads model weights that ship inside npm packages straight from disk into memory.
 * The wasm builds cannot fetch `file://` URLs, and a loopback server would be one more
 * moving part; reading the files ourselves needs neither.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as TfType from '@tensorflow/tfjs';
import type { Tf } from './tf-wasm';
import type { ModelRef } from './model-list';

interface WeightsGroup { paths: string[]; weights: TfType.io.WeightsManifestEntry[] }

/** Directory of a package's model files, e.g. `modelDirectory('@vladmandic/face-api', 'model')`. */
export function modelDirectory(pkg: string, sub: string): string {
  return path.join(packageRoot(pkg), sub);
}

/** Root of an installed package; walks up from its entry point because `exports` may hide `package.json`. */
function packageRoot(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  while (path.basename(dir) !== pkg.split('/').pop() || !existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package root of ${pkg}`);
    dir = parent;
  }
  return dir;
}

async function readGroups(dir: string, groups: WeightsGroup[]): Promise<{ specs: TfType.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const specs = groups.flatMap((g) => g.weights);
  const parts = await Promise.all(groups.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))));
  const all = Buffer.concat(parts);
  const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return { specs, data };
}

/** A face-api net's weight map, from `<name>-weights_manifest.json` and its shards. */
export async function readFaceApiWeights(tf: Tf, dir: string, name: string): Promise<TfType.NamedTensorMap> {
  const manifest = JSON.parse(await readFile(path.join(dir, `${name}-weights_manifest.json`), 'utf8')) as WeightsGroup[];
  const { specs, data } = await readGroups(dir, manifest);
  return tf.io.decodeWeights(data, specs);
}

/** A tfjs graph model (`<name>.json` + shards) loaded from memory. */
export async function readGraphModel(tf: Tf, dir: string, name: string): Promise<TfType.GraphModel> {
  const json = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')) as {
    modelTopology: object;
    weightsManifest: WeightsGroup[];
  };
  const { specs, data } = await readGroups(dir, json.weightsManifest);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data }));
}

/** The files of one model inside its directory: the manifest or graph JSON and its weight shards. */
export function modelFileNames(dir: string, model: ModelRef): string[] {
  if (model.format === 'face-api') {
    const manifest = `${model.name}-weights_manifest.json`;
    const groups = JSON.parse(readFileSync(path.join(dir, manifest), 'utf8')) as WeightsGroup[];
    return [manifest, ...groups.flatMap((g) => g.paths)];
  }
  const graph = `${model.name}.json`;
  const json = JSON.parse(readFileSync(path.join(dir, graph), 'utf8')) as { weightsManifest: WeightsGroup[] };
  return [graph, ...json.weightsManifest.flatMap((g) => g.paths)];
}
