/**
 * The report's only script, inlined: filters rule rows by status and endpoint, and opens or closes
 * every evidence block. No eval, no network, nothing the strict CSP forbids; without it the report
 * shows everything.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#rules tbody tr[data-status]'));
  var statusBoxes = Array.prototype.slice.call(form.querySelectorAll('input[name="status"]'));
  var endpointSelect = form.querySelector('select[name="endpoint"]');
  var shown = document.getElementById('shown');
  function apply() {
    var wanted = {};
    statusBoxes.forEach(function (box) { wanted[box.value] = box.checked; });
    var endpoint = endpointSelect ? endpointSelect.value : '';
    var count = 0;
    rows.forEach(function (row) {
      var endpoints = (row.getAttribute('data-endpoint') || '').split(' ');
      var visible = wanted[row.getAttribute('data-status')] === true && (endpoint === '' || endpoints.indexOf(endpoint) >= 0);
      row.hidden = !visible;
      if (visible && row.classList.contains('main')) count++;
    });
    if (shown) shown.textContent = String(count);
  }
  function setStatuses(list) {
    statusBoxes.forEach(function (box) { box.checked = list === null || list.indexOf(box.value) >= 0; });
    apply();
  }
  function setDetails(open) {
    rows.forEach(function (row) {
      if (row.hidden) return;
      Array.prototype.forEach.call(row.querySelectorAll('details'), function (d) { d.open = open; });
    });
  }
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('click', function (e) {
    var target = e.target;
    if (!(target instanceof HTMLButtonElement)) return;
    var action = target.getAttribute('data-action');
    if (action === 'all') setStatuses(null);
    else if (action === 'problems') setStatuses(['FAILED', 'WARNING', 'WAIVED']);
    else if (action === 'expand') setDetails(true);
    else if (action === 'collapse') setDetails(false);
  });
  apply();
})();
`;
