/* Proof of work for the suggestion forms (the ALTCHA scheme, solved by the project's own code):
   find the number n <= maxNumber with SHA-256(salt + n) == challenge, then send the signed
   challenge and n in the hidden "altcha" field. Without script the form still sends; the
   server then applies a stricter rate limit. Hashes run in batches so the page stays usable. */
(function () {
  "use strict";
  var BATCH = 500;
  var encoder = new TextEncoder();

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  async function solve(c) {
    for (var start = 0; start <= c.maxNumber; start += BATCH) {
      var jobs = [];
      for (var n = start; n < start + BATCH && n <= c.maxNumber; n++) {
        jobs.push(crypto.subtle.digest("SHA-256", encoder.encode(c.salt + n)));
      }
      var hashes = await Promise.all(jobs);
      for (var i = 0; i < hashes.length; i++) {
        if (hex(hashes[i]) === c.challenge) return start + i;
      }
    }
    return null;
  }

  function setUp(form) {
    var challenge = JSON.parse(form.getAttribute("data-altcha"));
    var field = form.querySelector("input[name=altcha]");
    var status = form.querySelector("[data-altcha-status]");
    var waiting = false;
    if (!field || !window.crypto || !crypto.subtle) return; // no Web Crypto: send without it
    var say = function (text) { if (status) status.textContent = text; };
    say("Checking that you are not a robot…");
    var done = solve(challenge).then(function (number) {
      if (number === null) { say(""); return; }
      field.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
        salt: challenge.salt, signature: challenge.signature
      }));
      form.setAttribute("data-altcha-solved", "");
      say("Check done: you can send.");
    });
    form.addEventListener("submit", function (event) {
      if (field.value || waiting) return;
      event.preventDefault();
      waiting = true;
      say("Finishing the check, then sending…");
      done.then(function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
    });
  }

  document.querySelectorAll("form[data-altcha]").forEach(setUp);
})();
