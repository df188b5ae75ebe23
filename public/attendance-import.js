// Attendance CSV import with progress: the page's form works without this script; with
// it, the file goes to POST /api/v1/attendance-imports as text/csv, the upload and the checking
// show in a <progress>, and the result (count, or every refused line) replaces the page's.
// Text is always set with textContent: nothing from the file or the server becomes markup.
(function () {
  'use strict';
  var form = document.getElementById('form-import');
  if (!form || !window.XMLHttpRequest || !window.File) return;
  var input = document.getElementById('fichier');
  var box = document.getElementById('suivi-import');
  var bar = document.getElementById('progression-import');
  var state = document.getElementById('etat-import');
  var result = document.getElementById('resultat-import');
  var button = form.querySelector('button[type="submit"]');
  var SHOWN = 500;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    return node;
  }

  function frNumber(n) {
    return Number(n).toLocaleString('fr-FR');
  }

  function showSuccess(count) {
    result.replaceChildren(el('p', 'Import terminé : ' + frNumber(count) + ' demi-journée(s) enregistrée(s).', { class: 'alert alert-success', id: 'resultat-titre', tabindex: '-1' }));
  }

  function showErrors(body, status) {
    var box = el('div', null, { class: 'alert alert-danger', role: 'alert' });
    box.appendChild(el('h2', (body && body.detail) || 'L’import a échoué (erreur ' + status + ').', { class: 'h5', id: 'resultat-titre', tabindex: '-1' }));
    var errors = (body && body.errors) || [];
    if (errors.length) {
      var table = el('table', null, { class: 'table table-sm mb-0' });
      table.appendChild(el('caption', 'Lignes refusées (' + errors.length + ')'));
      var head = el('tr');
      ['Ligne', 'Colonne', 'Problème'].forEach(function (h) { head.appendChild(el('th', h, { scope: 'col' })); });
      table.appendChild(el('thead')).appendChild(head);
      var tbody = table.appendChild(el('tbody'));
      errors.slice(0, SHOWN).forEach(function (e) {
        var row = el('tr');
        row.appendChild(el('td', e.line || '—'));
        row.appendChild(el('td', e.field));
        row.appendChild(el('td', e.message));
        tbody.appendChild(row);
      });
      box.appendChild(table);
      if (errors.length > SHOWN) box.appendChild(el('p', '… et ' + (errors.length - SHOWN) + ' autre(s) erreur(s).', { class: 'mb-0' }));
    }
    result.replaceChildren(box);
  }

  function finish() {
    button.disabled = false;
    var title = document.getElementById('resultat-titre');
    if (title) title.focus();
  }

  form.addEventListener('submit', function (event) {
    if (!input.files || input.files.length === 0) return; // the server explains what is missing
    event.preventDefault();
    var file = input.files[0];
    var csrf = form.querySelector('input[name="_csrf"]').value;
    button.disabled = true;
    result.replaceChildren();
    box.hidden = false;
    bar.value = 0;
    state.textContent = 'Envoi du fichier « ' + file.name + ' »…';

    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/attendance-imports');
    xhr.setRequestHeader('Content-Type', 'text/csv; charset=utf-8');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      // The upload is the first half of the bar; checking and storing the lines the second.
      var pct = Math.round((e.loaded / e.total) * 50);
      bar.value = pct;
      state.textContent = 'Envoi du fichier : ' + Math.round((e.loaded / e.total) * 100) + ' %';
    };
    xhr.upload.onload = function () {
      bar.value = 50;
      state.textContent = 'Fichier envoyé. Vérification et enregistrement des lignes en cours…';
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      bar.value = 100;
      if (xhr.status === 200 && body) {
        state.textContent = 'Import terminé.';
        showSuccess(body.imported);
      } else {
        state.textContent = 'Import refusé : rien n’a été enregistré.';
        showErrors(body, xhr.status);
      }
      finish();
    };
    xhr.onerror = function () {
      state.textContent = 'La connexion a été interrompue : rien n’a été enregistré. Réessayez.';
      finish();
    };
    xhr.send(file);
  });
})();
