/** The pipeline steps the queue and blob handlers call, one file each. */
export { onMediaUploaded, type MediaUploadedResult } from './on-media-uploaded';
export { onFramesMessage, type FramesResult } from './on-frames-message';
export { onFacesMessage, type FacesResult } from './on-faces-message';
export { onPoisonMessage, onPoisonBlob, type PoisonResult } from './on-poison';
export { publishCompletion, failVerification, completedEvent } from './completion';
export type * from './pipeline-ports';
