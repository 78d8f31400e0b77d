// Vouch reference capture page. Plain browser JavaScript, no build step.
// The page never holds an API key: it is opened as /app/?session=<token>, moves the token out of the
// URL at once, and sends it only in the X-Session-Token header.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const TERMINAL = ['approved', 'declined', 'review', 'failed'];
  const MAX_RECORDING_MS = 10_000;
  const REASONS = {
    FACE_MISMATCH: 'The document face and the selfie face look like different people.',
    FACE_MATCH_BORDERLINE: 'The faces are similar but not clearly the same; a person will check.',
    NO_FACE_IN_DOCUMENT: 'No face was found on the document photo.',
    NO_FACE_IN_SELFIE: 'No face was found in the selfie.',
    MULTIPLE_FACES_IN_DOCUMENT: 'More than one face is on the document photo.',
    MULTIPLE_FACES_IN_SELFIE: 'More than one face is in the selfie.',
    FACE_MATCH_UNAVAILABLE: 'The faces could not be compared.',
    FACE_TOO_SMALL: 'A face is too small; move closer.',
    LOW_QUALITY: 'A photo is blurred or badly lit.',
    INCONSISTENT_SELFIE_VIDEO: 'The video does not show one face clearly enough.',
    LIVENESS_FAILED: 'The selfie did not look like a live person.',
    LIVENESS_UNAVAILABLE: 'Liveness could not be checked.',
    CHALLENGE_MISMATCH: 'The head movements did not follow the steps asked.',
    PHOTO_AUTO_APPROVE_DISABLED: 'A person checks photo selfies.',
    UNREADABLE_MEDIA: 'A file could not be read.',
    VIDEO_TOO_LONG: 'The video is too long.',
    PROCESSING_FAILED: 'Processing failed; please try again later.',
  };

  const STEP_WORDS = { 'turn-left': 'Turn your head to your left, then back to the camera', 'turn-right': 'Turn your head to your right, then back to the camera', blink: 'Close your eyes for about a second' };

  const state = { token: null, challengeRequired: false, challenge: null, document: null, selfie: null, stream: null, recorder: null, chunks: [], sending: false };

  function setStatus(text, isError = false) {
    const el = $('status');
    el.textContent = text;
    el.classList.toggle('error', isError);
  }

  function takeTokenFromUrl() {
    const url = new URL(window.location.href);
    const token = url.searchParams.get('session');
    if (token) {
      // Out of the address bar, history and any later Referer.
      url.searchParams.delete('session');
      window.history.replaceState(null, '', url.pathname + (url.search === '?' ? '' : url.search) + url.hash);
    }
    return token;
  }

  async function api(path, init = {}) {
    const response = await fetch(path, { ...init, headers: { ...(init.headers || {}), 'X-Session-Token': state.token }, cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(body.detail || `HTTP ${response.status}`), { status: response.status, body });
    return body;
  }

  // The tenant requires an active liveness challenge: say so up front; the steps come when recording starts.
  function announceChallenge(required) {
    state.challengeRequired = required;
    $('challenge').hidden = !required;
    // A photo selfie would skip the challenge the tenant asked for.
    $('selfie-photo').hidden = required;
  }

  // A challenge lives two minutes and serves one upload: a fresh one for every recording.
  async function fetchChallenge() {
    state.challenge = await api('/api/v1/verifications/challenges', { method: 'POST' });
    $('challenge-note').textContent = 'Follow these steps in order while the camera records:';
    $('challenge-steps').replaceChildren(...state.challenge.steps.map((step) => Object.assign(document.createElement('li'), { textContent: STEP_WORDS[step] || step })));
    $('challenge').hidden = false;
  }

  function updateSubmit() {
    $('submit').disabled = state.sending || !state.token || !state.document || !state.selfie;
  }

  async function ensureCamera() {
    if (state.stream) return state.stream;
    state.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    $('camera').srcObject = state.stream;
    return state.stream;
  }

  function pickMimeType() {
    for (const type of ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm', 'video/mp4']) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported(type)) return type;
    }
    return '';
  }

  async function startRecording() {
    try {
      const stream = await ensureCamera();
      if (state.challengeRequired) await fetchChallenge();
      const mimeType = pickMimeType();
      state.chunks = [];
      // A high bitrate keeps the face detail the liveness check needs (compression artefacts look like a screen replay).
      state.recorder = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), videoBitsPerSecond: 4_000_000 });
      state.recorder.ondataavailable = (e) => e.data.size > 0 && state.chunks.push(e.data);
      state.recorder.onstop = () => {
        const type = (state.recorder.mimeType || 'video/webm').split(';')[0];
        const blob = new Blob(state.chunks, { type });
        state.selfie = { blob, name: type === 'video/mp4' ? 'selfie.mp4' : 'selfie.webm', field: 'selfieVideo' };
        const preview = $('selfie-preview');
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        $('selfie-photo-preview').hidden = true;
        $('recording-badge').hidden = true;
        $('selfie-video-start').disabled = false;
        $('selfie-video-start').textContent = 'Record again';
        $('selfie-video-stop').disabled = true;
        setStatus(`Selfie video recorded (${Math.round(blob.size / 1024)} KB).`);
        updateSubmit();
      };
      state.recorder.start(250);
      $('recording-badge').hidden = false;
      $('selfie-video-start').disabled = true;
      $('selfie-video-stop').disabled = false;
      $('selfie-video-stop').focus();
      setStatus('Recording… press Stop after 3 to 10 seconds.');
      setTimeout(() => state.recorder && state.recorder.state === 'recording' && stopRecording(), MAX_RECORDING_MS);
    } catch (error) {
      const why = error.status ? `the challenge could not be fetched: ${error.message}` : `the camera is not available (${error.name || error.message}). Allow camera access and try again`;
      setStatus(`Cannot record: ${why}.`, true);
    }
  }

  function stopRecording() {
    if (state.recorder && state.recorder.state === 'recording') state.recorder.stop();
  }

  async function takePhoto() {
    try {
      const video = $('camera');
      await ensureCamera();
      if (!video.videoWidth) await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
      state.selfie = { blob, name: 'selfie.jpg', field: 'selfie' };
      const img = $('selfie-photo-preview');
      img.src = URL.createObjectURL(blob);
      img.hidden = false;
      $('selfie-preview').hidden = true;
      setStatus('Selfie photo taken.');
      updateSubmit();
    } catch (error) {
      setStatus(`The camera is not available (${error.name || error.message}).`, true);
    }
  }

  function upload() {
    const form = new FormData();
    form.append('document', state.document, state.document.name || 'document.jpg');
    form.append(state.selfie.field, state.selfie.blob, state.selfie.name);
    if (state.challenge) form.append('challengeId', state.challenge.id);
    return new Promise((resolve, reject) => {
      // XMLHttpRequest, not fetch: it reports upload progress.
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/verifications');
      xhr.setRequestHeader('X-Session-Token', state.token);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        const percent = Math.round((e.loaded / e.total) * 100);
        $('upload-progress').value = percent;
        $('upload-progress').textContent = `${percent}%`;
        setStatus(`Uploading… ${percent}%`);
      };
      xhr.onload = () => (xhr.status === 202 || xhr.status === 200 ? resolve(xhr.response) : reject(Object.assign(new Error((xhr.response && xhr.response.detail) || `HTTP ${xhr.status}`), { status: xhr.status })));
      xhr.onerror = () => reject(new Error('Network error'));
      xhr.send(form);
    });
  }

  function showDecision(view) {
    const el = $('decision');
    el.className = view.status;
    const words = { approved: 'Verified: approved', declined: 'Not verified: declined', review: 'A person will review it: review', failed: 'Could not be processed: failed' };
    el.textContent = words[view.status] || `In progress: ${view.status}`;
    const reasons = (view.decision && view.decision.reasons) || (view.failureReason ? [view.failureReason] : []);
    $('reasons').replaceChildren(...reasons.map((code) => Object.assign(document.createElement('li'), { textContent: REASONS[code] || code })));
  }

  async function poll(id) {
    for (;;) {
      const view = await api(`/api/v1/verifications/${encodeURIComponent(id)}`);
      showDecision(view);
      if (TERMINAL.includes(view.status)) {
        setStatus('Done.');
        return;
      }
      setStatus('Checking… this usually takes a few seconds.');
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }

  async function submit(event) {
    event.preventDefault();
    if ($('submit').disabled) return;
    state.sending = true;
    updateSubmit();
    try {
      const accepted = await upload();
      $('upload-progress').value = 100;
      showDecision(accepted);
      await poll(accepted.id);
    } catch (error) {
      const retry = state.challenge ? ' Record the video again (a new challenge) and send.' : '';
      setStatus(error.status === 401 ? 'This link has expired. Ask for a new one.' : `Sending failed: ${error.message}.${retry}`, true);
      state.sending = false;
      updateSubmit();
    }
  }

  async function init() {
    state.token = takeTokenFromUrl();
    if (!state.token) {
      setStatus('This page needs a verification link (…/app/?session=…). Ask the service that sent you here for a new one.', true);
      return;
    }
    $('document-file').addEventListener('change', (e) => {
      state.document = e.target.files[0] || null;
      const img = $('document-preview');
      if (state.document) {
        img.src = URL.createObjectURL(state.document);
        img.hidden = false;
      }
      updateSubmit();
    });
    $('selfie-video-start').addEventListener('click', startRecording);
    $('selfie-video-stop').addEventListener('click', stopRecording);
    $('selfie-photo').addEventListener('click', takePhoto);
    $('capture').addEventListener('submit', submit);
    try {
      const session = await api('/api/v1/verifications/sessions/current');
      announceChallenge(session.challengeRequired === true);
      if (session.verificationId) {
        setStatus('Already sent; showing the result.');
        await poll(session.verificationId);
        return;
      }
      setStatus('Ready. Add your document photo and record a selfie.');
    } catch (error) {
      setStatus(error.status === 401 ? 'This link has expired or is not valid. Ask for a new one.' : `Could not start: ${error.message}`, true);
    }
    updateSubmit();
  }

  document.addEventListener('DOMContentLoaded', init);
})();
