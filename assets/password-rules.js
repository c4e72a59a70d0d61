// Ticks the password checklist (views/components.ts passwordChecklist) as the person types.
// The same tests as src/passwords/policy.ts checkPassword; the server still judges every
// rule, and the page works the same without this file.
(function () {
  'use strict';
  var tests;
  try {
    tests = {
      upper: /\p{Lu}/u,
      lower: /\p{Ll}/u,
      digit: /\p{Nd}/u,
      special: /[^\p{L}\p{M}\p{Nd}\s]/u,
    };
  } catch (error) {
    return; // A browser without Unicode property escapes keeps the list as written.
  }
  function met(rule, value, minLength) {
    if (rule === 'length') return Array.from(value.normalize('NFC')).length >= minLength;
    var test = tests[rule];
    return test === undefined ? undefined : test.test(value.normalize('NFC'));
  }
  function update(input, list) {
    var minLength = Number(list.getAttribute('data-min-length'));
    var items = list.querySelectorAll('[data-rule]');
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var state = met(item.getAttribute('data-rule'), input.value, minLength);
      if (state === undefined) continue; // judged by the server only
      var now = input.value === '' ? 'unknown' : state ? 'met' : 'unmet';
      item.className = 'checklist__item checklist__item--' + now;
      var status = item.querySelector('.checklist__status');
      if (status) status.textContent = now === 'unknown' ? '' : ' (' + list.getAttribute(now === 'met' ? 'data-met' : 'data-unmet') + ')';
    }
  }
  var inputs = document.querySelectorAll('input[data-password-rules]');
  for (var i = 0; i < inputs.length; i++) {
    (function (input) {
      var list = document.getElementById(input.getAttribute('data-password-rules'));
      if (!list) return;
      input.addEventListener('input', function () { update(input, list); });
    })(inputs[i]);
  }
})();
