// Enhancements only: every page works without this script (SPEC §6). Written for the old
// Android webviews many people still use: no arrow functions, no NodeList.forEach.
(function () {
  'use strict';

  // A form that only carries values on (an authorization response, a logout's last step) is
  // sent at once; without this script its button sends it.
  var forms = document.querySelectorAll('form[data-auto-submit]');
  for (var i = 0; i < forms.length; i += 1) forms[i].submit();

  // "Back" returns to the page before, when there is one (the app, the form); otherwise the
  // link leads where its href says, and a link with nowhere to go stays hidden.
  if (window.history.length < 2) return;
  var links = document.querySelectorAll('a[data-back]');
  for (var j = 0; j < links.length; j += 1) {
    links[j].hidden = false;
    links[j].addEventListener('click', function (event) {
      event.preventDefault();
      window.history.back();
    });
  }
})();
