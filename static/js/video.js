// The campaign's video: nothing is loaded from the video's host until the visitor asks for it
// (templates/projects/_gallery.html). Then the privacy-respecting player (youtube-nocookie.com,
// Vimeo with dnt=1) replaces the notice; the Content-Security-Policy allows only those frames.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".video-load");
    if (!button) { return; }
    var box = button.closest(".video-embed");
    if (!box || !box.dataset.embed) { return; }
    var frame = document.createElement("iframe");
    frame.src = box.dataset.embed + (box.dataset.embed.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
    frame.title = box.dataset.title || "";
    frame.width = "800";
    frame.height = "450";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "video-frame";
    box.replaceChildren(frame);
    frame.focus();
  });
})();
