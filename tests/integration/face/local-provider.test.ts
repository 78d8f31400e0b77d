/**
 * The offline face provider on real photos and real video frames (real face-api and human
 * models on tfjs wasm, real ffmpeg, real sharp). Models load once for the file.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createLocalFaceProvider } from '../../../shared/face/local/local-provider';
import { buildEvidence } from '../../../shared/face/evidence-builder';
import { LOCAL_DECLINE_THRESHOLD, LOCAL_MATCH_THRESHOLD } from '../../../shared/face/thresholds';
import { frameAt, LIVE_VIDEO_DIR, sampleImagePaths, TWO_PERSON_CLIP } from './face-fixtures';

const provider = createLocalFaceProvider();
const clip = (name: string) => path.join(LIVE_VIDEO_DIR, name);

describe('local face provider', () => {
  before(() => provider.warmUp());

  it('should score two frames of one real clip, 2.4 s apart, above the match threshold', async () => {
    const [early, late] = await Promise.all([frameAt(clip('grid_lbax4n.mpg'), 0.2), frameAt(clip('grid_lbax4n.mpg'), 2.6)]);
    const [a, b] = [await provider.analyseImage(early), await provider.analyseImage(late)];
    assert.equal(a.faces.length, 1);
    assert.equal(b.faces.length, 1);
    const similarity = await provider.similarity(a.faces[0]!.faceRef, b.faces[0]!.faceRef);
    assert.ok(similarity >= LOCAL_MATCH_THRESHOLD, `same person similarity ${similarity}`);
  });

  it('should score different people below the decline threshold', async () => {
    const people = ['grid_bbaf2n.mpg', 'grid_lrwp9a.mpg', 'pyfeat_single_face.mp4', 'intel_head-pose-face-detection-male.mp4'];
    const faces = [];
    for (const name of people) faces.push((await provider.analyseImage(await frameAt(clip(name), 1)))!.faces[0]!);
    for (let i = 0; i < faces.length; i++) {
      for (let j = i + 1; j < faces.length; j++) {
        const similarity = await provider.similarity(faces[i]!.faceRef, faces[j]!.faceRef);
        assert.ok(similarity < LOCAL_DECLINE_THRESHOLD, `${people[i]} vs ${people[j]}: ${similarity}`);
      }
    }
  });

  it('should find both people in the two-person clip', async () => {
    const analysis = await provider.analyseImage(await frameAt(clip(TWO_PERSON_CLIP), 1));
    assert.equal(analysis.faces.length, 2);
    for (const face of analysis.faces) {
      assert.equal(face.landmarks?.length, 68);
      assert.ok(face.faceRef.provider === 'local' && face.faceRef.descriptor.length === 128);
    }
  });

  it('should find no face in a plain gradient, and not throw on a tiny image', async () => {
    const width = 320;
    const height = 240;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set([x * 255 / width, y * 255 / height, 128], (y * width + x) * 3);
    const gradient = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
    assert.deepEqual((await provider.analyseImage(gradient)).faces, []);
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
    assert.deepEqual((await provider.analyseImage(tiny)).faces, []);
  });

  it('should find a face cropped tightly to its box (thanks to the padding)', async () => {
    // sample5's largest face cropped to its box: SSD-MobileNet alone finds nothing (measured), padded it scores 0.92.
    const photo = await readFile(sampleImagePaths()[4]!);
    const face = (await provider.analyseImage(photo)).faces[0]!;
    const tight = await sharp(photo)
      .extract({ left: Math.round(face.box.x), top: Math.round(face.box.y), width: Math.round(face.box.width), height: Math.round(face.box.height) })
      .jpeg().toBuffer();
    const analysis = await provider.analyseImage(tight);
    assert.equal(analysis.faces.length, 1);
    const similarity = await provider.similarity(face.faceRef, analysis.faces[0]!.faceRef);
    assert.ok(similarity >= LOCAL_MATCH_THRESHOLD, `tight crop vs original: ${similarity}`);
  });

  it('should find tight crops: small greyscale portraits whose face fills the frame, of several real people', async () => {
    // The shape the owners' measurement missed: the face box itself (no margin, tighter than a real
    // document portrait), 96-180 px, greyscale, JPEG 60. Found every time, and never so altered that
    // the person would be declined as someone else (measured: 0.50-0.9 against the original).
    const sources = [
      await frameAt(clip('grid_bbaf2n.mpg'), 0.5), await frameAt(clip('pyfeat_single_face.mp4'), 0.5),
      await frameAt(clip('intel_head-pose-face-detection-male.mp4'), 0.5), await readFile(sampleImagePaths()[1]!),
    ];
    for (const [i, photo] of sources.entries()) {
      const face = (await provider.analyseImage(photo)).faces[0]!;
      const box = { left: Math.round(face.box.x), top: Math.round(face.box.y), width: Math.round(face.box.width), height: Math.round(face.box.height) };
      for (const width of [96, 120, 180]) {
        const tight = await sharp(photo).rotate().extract(box).resize({ width }).greyscale().jpeg({ quality: 60 }).toBuffer();
        const analysis = await provider.analyseImage(tight);
        assert.equal(analysis.faces.length, 1, `source ${i}, ${width} px: ${analysis.faces.length} faces`);
        const similarity = await provider.similarity(face.faceRef, analysis.faces[0]!.faceRef);
        assert.ok(similarity >= LOCAL_DECLINE_THRESHOLD, `source ${i}, ${width} px vs original: ${similarity}`);
      }
    }
  });

  it('should not leak tensors across analyses', async () => {
    // What each worker runs, run here on this thread so its tfjs engine can be inspected.
    const { analyseImageHere, passiveLivenessHere } = await import('../../../shared/face/local/analyse-image');
    const { loadTf } = await import('../../../shared/face/local/tf-wasm');
    const tf = await loadTf();
    const frame = await frameAt(clip('grid_brbk7n.mpg'), 1);
    const face = (await analyseImageHere(frame)).faces[0]!;
    // A tight greyscale crop goes through both passes (SSD finds nothing, BlazeFace does).
    const b = face.box;
    const tight = await sharp(frame).extract({ left: Math.round(b.x), top: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) })
      .resize({ width: 96 }).greyscale().jpeg({ quality: 60 }).toBuffer();
    assert.equal((await analyseImageHere(tight)).faces.length, 1);
    await passiveLivenessHere(frame, face.box);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await analyseImageHere(frame);
      await analyseImageHere(tight);
      await passiveLivenessHere(frame, face.box);
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('should give a passive liveness score in [0, 1] for a real photo selfie', async () => {
    const frame = await frameAt(clip('pyfeat_single_face.mp4'), 1);
    const face = (await provider.analyseImage(frame)).faces[0]!;
    const liveness = await provider.passiveLiveness(frame, face);
    assert.ok(liveness.score >= 0 && liveness.score <= 1);
    assert.ok(liveness.signals.antispoof !== undefined && liveness.signals.liveness !== undefined);
  });

  it('should build photo evidence from a document-like frame and a selfie frame of one person', async () => {
    const document = await sharp(await frameAt(clip('grid_lrwp9a.mpg'), 0.2)).modulate({ saturation: 0.7 }).jpeg({ quality: 40 }).toBuffer();
    const selfie = await frameAt(clip('grid_lrwp9a.mpg'), 2.5);
    const evidence = await buildEvidence(provider, { document, selfie: { kind: 'photo', image: selfie } });
    assert.equal(evidence.provider, 'local');
    assert.equal(evidence.document.faceCount, 1);
    assert.deepEqual([evidence.selfie.kind, evidence.selfie.frames, evidence.selfie.framesWithOneFace], ['photo', 1, 1]);
    assert.ok(evidence.similarity! >= LOCAL_MATCH_THRESHOLD, `similarity ${evidence.similarity}`);
    assert.equal(evidence.liveness?.method, 'passive-antispoof');
  });
});
