// Digital attendance sheets: the trainer's screen reloads itself so the QR code (renewed every
// 30 s) and the signatures stay current; signature pads record strokes drawn with a finger, a pen
// or a mouse (pointer events) as SVG path data in the form's hidden "trace" field. Without this
// script the pages still work: a « Rafraîchir » link, and « Je confirme ma présence ».
(function () {
  'use strict';
  // Once the trainer starts signing (or moves into the closing form), the page stops reloading:
  // a reload would lose the signature being drawn.
  var signing = false;
  var qr = document.getElementById('qr-emargement');
  if (qr) {
    var seconds = Number(qr.getAttribute('data-reload-seconds')) || 15;
    setInterval(function () { if (!signing) window.location.reload(); }, seconds * 1000);
  }
  Array.prototype.forEach.call(document.querySelectorAll('.signature-form'), function (form) {
    form.addEventListener('pointerdown', function () { signing = true; });
    form.addEventListener('focusin', function () { signing = true; });
  });

  Array.prototype.forEach.call(document.querySelectorAll('[data-signature-pad]'), function (pad) {
    var canvas = pad.querySelector('canvas');
    var field = pad.querySelector('input[name="trace"]');
    var form = pad.closest('form');
    if (!canvas || !field || !form || !canvas.getContext) return;
    pad.classList.remove('d-none');
    Array.prototype.forEach.call(form.querySelectorAll('[data-needs-trace]'), function (b) { b.classList.remove('d-none'); });
    var ctx = canvas.getContext('2d');
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#14325c';
    var strokes = [];
    var current = null;

    function point(e) {
      var r = canvas.getBoundingClientRect();
      return [Math.round((e.clientX - r.left) * canvas.width / r.width), Math.round((e.clientY - r.top) * canvas.height / r.height)];
    }
    canvas.addEventListener('pointerdown', function (e) {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      var p = point(e);
      current = 'M' + p[0] + ' ' + p[1];
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
    });
    canvas.addEventListener('pointermove', function (e) {
      if (current === null) return;
      var p = point(e);
      current += ' L' + p[0] + ' ' + p[1];
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
    });
    function end() {
      if (current !== null) strokes.push(current);
      current = null;
      field.value = strokes.join('\n');
    }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    pad.querySelector('.signature-clear').addEventListener('click', function () {
      strokes = [];
      field.value = '';
      ctx.clearRect(0, 0, canvas.width, canvas.height);
    });
    form.addEventListener('submit', function (e) {
      var submitter = e.submitter;
      if (submitter && submitter.hasAttribute('data-needs-trace') && strokes.length === 0) {
        e.preventDefault();
        pad.querySelector('.signature-message').textContent = 'Tracez votre signature dans le cadre, ou choisissez « Je confirme ma présence ».';
        canvas.focus();
      }
    });
  });
})();
