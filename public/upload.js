// The data page's only script (issue 16): while the browser sends the files, a progress bar says how far it is.
// The form still works without it (the browser's own upload, then the batch report).
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('upload-form');
  const bar = document.getElementById('upload-progress');
  const status = document.getElementById('upload-status');
  if (!form || !bar || !status || !window.XMLHttpRequest) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open('POST', form.getAttribute('action'));
    bar.hidden = false;
    status.textContent = status.dataset.sending;
    request.upload.addEventListener('progress', (progress) => {
      if (!progress.lengthComputable) return;
      bar.value = Math.round((progress.loaded / progress.total) * 100);
      status.textContent = `${status.dataset.sending} ${bar.value}%`;
    });
    request.upload.addEventListener('load', () => {
      bar.removeAttribute('value');
      status.textContent = status.dataset.loading;
    });
    request.addEventListener('load', () => {
      // The server answers with the batch's page (after its redirect): go there.
      window.location.assign(request.responseURL);
    });
    request.addEventListener('error', () => {
      status.textContent = status.dataset.failed;
    });
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    request.send(new FormData(form));
  });
});
