/**
 * A real face worker that dies (exits its thread) on its first `analyse` job of the process
 * whose marker file is missing: the pool test sees a crash in flight, then a healthy retry.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { runFaceJob, serveFaceJobs, type FaceJob } from '../../../shared/face/local/face-worker';

serveFaceJobs(async (job: FaceJob) => {
  const marker = process.env.FACE_WORKER_CRASH_MARKER;
  if (job.op === 'analyse' && marker && !existsSync(marker)) {
    writeFileSync(marker, 'crashed');
    process.exit(70);
  }
  return runFaceJob(job);
});
