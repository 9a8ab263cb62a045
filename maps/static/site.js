/* The site header on a phone: the page links fold into a "Menu" button so the header keeps to
 * one row (with the spoiler setting beside it) and the map keeps its height. A real button with
 * aria-expanded and aria-controls; Escape or a tap elsewhere closes it. Without this script the
 * button stays hidden and the links stay in view. On wider screens CSS hides the button and the
 * links are always shown, whatever its state. Loaded right after the header, not deferred, so
 * the header has its final height before the map measures the room left for it.
 */
(function () {
  "use strict";

  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;

  function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }
  function set(open) {
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  }

  header.classList.add("has-menu");
  toggle.hidden = false;
  set(false);
  toggle.addEventListener("click", function () { set(!isOpen()); });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && isOpen()) {
      set(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (e) {
    if (isOpen() && !header.contains(e.target)) set(false);
  });
})();
