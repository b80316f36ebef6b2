// Import page: send the file with XMLHttpRequest so that a progress bar can follow a large
// upload, then go where the server redirects. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !form.checkValidity()) return;
      event.preventDefault();
      var status = form.querySelector("[data-upload-status]");
      var bar = status.querySelector("progress");
      var text = status.querySelector("[data-upload-text]");
      var button = form.querySelector("button[type=submit]");
      status.hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = percent < 100 ? "Uploaded " + percent + "%" : "Reading the file…";
      });
      xhr.addEventListener("load", function () {
        window.location.assign(xhr.responseURL || window.location.href);
      });
      xhr.addEventListener("error", function () {
        text.textContent = "The upload failed. Check the connection and try again.";
        button.disabled = false;
      });
      xhr.send(new FormData(form));
    });
  });
  document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var text = form.querySelector("[data-busy-text]");
      if (text) text.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
    });
  });
})();
