// /static/suggest.js: the completion list under the search box. A separate file because the
// page's Content-Security-Policy allows only the server's own scripts, never inline ones.
#include "assets.h"

namespace vnsearch::server::assets {

const std::string_view kSuggestScript =
    R"js(// Completions under the search box (ARIA combobox + listbox); the page works without it.
(function () {
  var box = document.getElementById('q');
  var list = document.getElementById('q-suggestions');
  if (!box || !list || !window.fetch) return;
  var DELAY_MS = 120;  // debounce: one request per pause in typing, not per key
  var timer = null, sequence = 0, active = -1, texts = [];

  function setActive(index) {
    var options = list.children;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute('aria-selected', i === index ? 'true' : 'false');
    }
    active = index;
    if (index >= 0) {
      box.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({block: 'nearest'});
    } else {
      box.removeAttribute('aria-activedescendant');
    }
  }

  function close() {
    list.hidden = true;
    list.textContent = '';
    texts = [];
    active = -1;
    box.setAttribute('aria-expanded', 'false');
    box.removeAttribute('aria-activedescendant');
  }

  function choose(index) {
    if (index < 0 || index >= texts.length) return;
    box.value = texts[index];
    close();
    if (box.form) box.form.submit();
  }

  function show(completions) {
    list.textContent = '';
    texts = [];
    active = -1;
    completions.forEach(function (completion, index) {
      var option = document.createElement('li');
      option.id = 'q-suggestion-' + index;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.textContent = completion.text;
      // Keeps the focus (and the phone keyboard) in the box while an option is pressed.
      option.addEventListener('mousedown', function (event) { event.preventDefault(); });
      option.addEventListener('click', function () { choose(index); });
      list.appendChild(option);
      texts.push(completion.text);
    });
    if (texts.length === 0) return close();
    list.hidden = false;
    box.setAttribute('aria-expanded', 'true');
    box.removeAttribute('aria-activedescendant');
  }

  function fetchNow() {
    var text = box.value;
    var mine = ++sequence;
    if (text.trim() === '') return close();
    fetch('/api/suggest?q=' + encodeURIComponent(text), {headers: {Accept: 'application/json'}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (mine !== sequence) return;  // a later keystroke already asked again
        show(body && body.completions ? body.completions : []);
      })
      .catch(function () { if (mine === sequence) close(); });
  }

  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(fetchNow, DELAY_MS);
  });
  box.addEventListener('keydown', function (event) {
    var open = !list.hidden && texts.length > 0;
    if (event.key === 'ArrowDown' || event.key === 'Down') {
      event.preventDefault();
      if (!open) return fetchNow();
      setActive(active + 1 < texts.length ? active + 1 : 0);
    } else if (event.key === 'ArrowUp' || event.key === 'Up') {
      if (!open) return;
      event.preventDefault();
      setActive(active > 0 ? active - 1 : texts.length - 1);
    } else if (event.key === 'Enter') {
      if (open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else {
        close();
      }
    } else if (event.key === 'Escape' || event.key === 'Esc') {
      if (open) {
        event.preventDefault();
        sequence++;  // an answer still on its way must not reopen the list
        close();
      }
    }
  });
  box.addEventListener('blur', function () {
    sequence++;
    setTimeout(close, 150);
  });
})();
)js";

}  // namespace vnsearch::server::assets
