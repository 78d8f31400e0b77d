/** Entry script of a face worker thread: see face-worker.ts. */
import { runFaceJob, serveFaceJobs } from './face-worker';

serveFaceJobs(runFaceJob);
