// Progressive enhancement only: the server-rendered page works without this file, and is the first paint.
// With it: results as you type (GET /api/search, debounced on both edges, stale answers dropped, the URL kept
// current with history.replaceState), completions from titles and headings (GET /api/suggest), and the keyboard:
// "/" or Ctrl/Cmd-K focus the box, Up/Down move through the completions and results, Enter opens the one
// chosen, Escape closes the completions, then clears the box, then leaves it.
//
// Screen readers: the box keeps the focus while Up/Down move, and its aria-activedescendant names the link
// that is chosen (a plain list of links; the chosen one has class "active" and aria-current="true").
//
// Text from the server is put in with textContent, never parsed as HTML. Snippets come HTML-safe with the
// matched words in <mark>; they are rebuilt from that markup as text nodes and <mark> elements.
(function () {
  'use strict';
  var DEBOUNCE_MS = 120;
  var box = document.getElementById('q');
  var main = document.getElementById('main');
  var list = document.getElementById('suggestions');
  if (!box || !main || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var timer = null;
  var lastInput = 0;
  var searchSeq = 0;
  var suggestSeq = 0;
  var searchAbort = null;
  var active = null;
  var shown = box.value;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) {
          e.setAttribute(k, attrs[k]);
        }
      });
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function currentParams() {
    return new URLSearchParams(window.location.search);
  }

  // The same query strings as the server's links: q, then mode (unless hybrid), guide, k (unless 10), page (>1).
  function queryString(q, mode, guide, k, page) {
    var p = new URLSearchParams();
    p.set('q', q);
    if (mode && mode !== 'hybrid') { p.set('mode', mode); }
    if (guide) { p.set('guide', guide); }
    if (k && k !== 10) { p.set('k', String(k)); }
    if (page && page > 1) { p.set('page', String(page)); }
    return p.toString();
  }

  function decode(text) {
    return text.replace(/&(amp|lt|gt|quot|#39);/g, function (m, name) {
      return {amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"}[name];
    });
  }

  // "a <mark>b</mark> c" (escaped text plus <mark> tags, as the server makes it) as DOM nodes.
  function snippet(html) {
    var p = el('p', {'class': 'snippet'});
    html.split(/(<mark>[^<]*<\/mark>)/).forEach(function (part) {
      var m = /^<mark>([^<]*)<\/mark>$/.exec(part);
      if (m) {
        p.appendChild(el('mark', null, decode(m[1])));
      } else if (part) {
        p.appendChild(document.createTextNode(decode(part.replace(/<[^>]*>/g, ''))));
      }
    });
    return p;
  }

  function safeHref(url) {
    var u = (url || '').trim();
    return /^https?:\/\//i.test(u) ? u : null;
  }

  function modes(body) {
    var nav = el('nav', {'class': 'modes', 'aria-label': 'Search mode'});
    [['hybrid', 'Hybrid', 'words and meaning, fused'], ['keyword', 'Keyword', 'exact words (BM25)'],
      ['semantic', 'Semantic', 'meaning (sentence embeddings)']].forEach(function (m) {
      var isActive = m[0] === body.mode;
      var a = el('a', {'class': 'mode' + (isActive ? ' active' : ''), 'aria-current': isActive ? 'page' : null,
        'data-mode': m[0], title: m[2], href: '/?' + queryString(body.query, m[0], body.guide, 0, 1)}, m[1]);
      nav.appendChild(a);
    });
    return nav;
  }

  function chip(label, count, isActive, href, guide) {
    var a = el('a', {'class': 'chip' + (isActive ? ' active' : ''), 'aria-current': isActive ? 'page' : null,
      'data-guide': guide, href: href}, label + ' ');
    a.appendChild(el('span', {'class': 'count'}, String(count)));
    return a;
  }

  function guides(body) {
    var names = Object.keys(body.guides);
    if (names.length === 0) {
      return null;
    }
    var nav = el('nav', {'class': 'guides', 'aria-label': 'Filter by guide'});
    var all = names.reduce(function (n, g) { return n + body.guides[g]; }, 0);
    nav.appendChild(chip('All guides', all, !body.guide, '/?' + queryString(body.query, body.mode, null, 0, 1), null));
    names.forEach(function (g) {
      nav.appendChild(chip(body.guide_labels[g] || g, body.guides[g], g === body.guide,
        '/?' + queryString(body.query, body.mode, g, 0, 1), g));
    });
    return nav;
  }

  function result(h, n, labels) {
    var li = el('li', {'class': 'result', id: 'result-' + n});
    var href = safeHref(h.section_url || h.url);
    li.appendChild(href ? el('a', {'class': 'title', id: 'result-' + n + '-link', href: href}, h.title)
      : el('span', {'class': 'title'}, h.title));
    var meta = el('div', {'class': 'meta crumbs'});
    meta.appendChild(el('span', {'class': 'badge', 'data-guide': h.guide}, labels[h.guide] || h.guide));
    meta.appendChild(el('span', {'class': 'page'}, h.title));
    if (h.section) {
      meta.appendChild(el('span', {'class': 'crumb'}, h.section));
    }
    li.appendChild(meta);
    li.appendChild(snippet(h.snippet));
    li.appendChild(el('div', {'class': 'url'}, h.url));
    var why = el('details', {'class': 'why'});
    why.appendChild(el('summary', null, 'Why this result'));
    var p = el('p', null, 'keyword rank ');
    p.appendChild(el('span', {'class': 'rank-keyword'}, h.ranks.keyword === null ? '\u2013' : String(h.ranks.keyword)));
    p.appendChild(document.createTextNode(' \u00b7 vector rank '));
    p.appendChild(el('span', {'class': 'rank-semantic'}, h.ranks.semantic === null ? '\u2013' : String(h.ranks.semantic)));
    p.appendChild(document.createTextNode(' \u00b7 score ' + h.score.toFixed(4)));
    why.appendChild(p);
    li.appendChild(why);
    return li;
  }

  function pager(body) {
    var pages = Math.min(10, Math.ceil(body.total / body.k));
    if (pages <= 1) {
      return null;
    }
    var nav = el('nav', {'class': 'pager', id: 'pager', 'aria-label': 'Result pages'});
    if (body.page > 1) {
      nav.appendChild(el('a', {rel: 'prev', 'class': 'prev',
        href: '/?' + queryString(body.query, body.mode, body.guide, body.k, body.page - 1)}, 'Previous'));
    }
    nav.appendChild(el('span', {'class': 'at'}, 'Page ' + body.page + ' of ' + pages));
    if (body.page < pages) {
      nav.appendChild(el('a', {rel: 'next', 'class': 'next',
        href: '/?' + queryString(body.query, body.mode, body.guide, body.k, body.page + 1)}, 'Next'));
    }
    return nav;
  }

  function noResults(body) {
    var s = el('section', {'class': 'none', id: 'no-results'});
    var h = el('h2', null, 'No pages match ');
    h.appendChild(el('q', null, body.query));
    s.appendChild(h);
    var ul = el('ul');
    if (body.mode !== 'semantic') {
      var li = el('li');
      li.appendChild(el('a', {href: '/?' + queryString(body.query, 'semantic', body.guide, 0, 1)}, 'Try semantic search'));
      li.appendChild(document.createTextNode(', which matches meaning rather than words.'));
      ul.appendChild(li);
    }
    ul.appendChild(el('li', null, 'Check the spelling, or use fewer and more general words.'));
    s.appendChild(ul);
    return s;
  }

  function render(body) {
    var frag = document.createDocumentFragment();
    frag.appendChild(modes(body));
    var g = guides(body);
    if (g) { frag.appendChild(g); }
    var summary = el('p', {'class': 'summary', id: 'summary'});
    summary.appendChild(el('span', {id: 'count'}, String(body.total)));
    summary.appendChild(document.createTextNode(' ' + (body.total === 1 ? 'page' : 'pages')
      + (body.guide ? ' in ' + (body.guide_labels[body.guide] || body.guide) : '')
      + ' \u00b7 ' + body.took_ms.toFixed(1) + ' ms'));
    frag.appendChild(summary);
    if (body.did_you_mean) {
      var dym = el('p', {'class': 'did-you-mean', id: 'did-you-mean'}, 'Did you mean ');
      var a = el('a', {href: '/?' + queryString(body.did_you_mean, body.mode, body.guide, body.k, 1)});
      a.appendChild(el('em', null, body.did_you_mean));
      dym.appendChild(a);
      dym.appendChild(document.createTextNode('?'));
      frag.appendChild(dym);
    }
    if (body.results.length === 0) {
      frag.appendChild(noResults(body));
    } else {
      var offset = (body.page - 1) * body.k;
      var ol = el('ol', {'class': 'results', id: 'results', start: String(offset + 1)});
      body.results.forEach(function (h, i) { ol.appendChild(result(h, offset + i + 1, body.guide_labels)); });
      frag.appendChild(ol);
      var p = pager(body);
      if (p) { frag.appendChild(p); }
    }
    main.replaceChildren(frag);
    setActive(null);
  }

  function problem(message) {
    var s = el('section', {'class': 'problem', id: 'problem'});
    s.appendChild(el('h2', null, 'That search cannot be run'));
    s.appendChild(el('p', null, message));
    main.replaceChildren(s);
    setActive(null);
  }

  function search(q) {
    var seq = ++searchSeq;
    if (searchAbort) { searchAbort.abort(); }
    searchAbort = window.AbortController ? new AbortController() : null;
    var here = currentParams();
    var qs = queryString(q, here.get('mode'), null, 0, 1);
    main.setAttribute('aria-busy', 'true');
    fetch('/api/search?' + qs, {headers: {Accept: 'application/json'}, signal: searchAbort ? searchAbort.signal : undefined})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (answer) {
        if (seq !== searchSeq) {
          return; // a later keystroke's search is on its way: this answer is stale
        }
        main.setAttribute('aria-busy', 'false');
        if (!answer.ok) {
          problem(answer.body.error || 'the search failed');
          return;
        }
        render(answer.body);
        shown = q;
        document.title = q + ' \u00b7 docsearch';
        history.replaceState(null, '', '/?' + qs);
      })
      .catch(function (e) {
        if (seq === searchSeq && e.name !== 'AbortError') {
          main.setAttribute('aria-busy', 'false');
          problem('the search service cannot be reached');
        }
      });
  }

  function suggest(q) {
    var seq = ++suggestSeq;
    fetch('/api/suggest?' + new URLSearchParams({q: q}).toString(), {headers: {Accept: 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (body) {
        if (seq !== suggestSeq || box.value.trim() === '') {
          return;
        }
        showSuggestions(body.suggestions);
        list.setAttribute('data-for', q); // which text the list completes, for tests and styles
      })
      .catch(function () { /* completions are a nicety; the search still works */ });
  }

  function showSuggestions(suggestions) {
    list.replaceChildren();
    suggestions.forEach(function (s, i) {
      var li = el('li', {'class': 'suggestion', 'data-kind': s.kind});
      li.appendChild(el('a', {id: 'suggestion-' + i, href: '/?' + queryString(s.text, currentParams().get('mode'), null, 0, 1),
        'data-text': s.text}, s.text));
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    if (active && !document.body.contains(active)) {
      setActive(null);
    }
  }

  function hideSuggestions() {
    list.hidden = true;
    list.replaceChildren();
    if (active && !document.body.contains(active)) {
      setActive(null);
    }
  }

  // What Up/Down move through: the completions shown, then the results' links.
  function items() {
    var out = [];
    if (!list.hidden) {
      out = Array.prototype.slice.call(list.querySelectorAll('a'));
    }
    return out.concat(Array.prototype.slice.call(main.querySelectorAll('ol.results a.title')));
  }

  function setActive(link) {
    if (active) {
      active.classList.remove('active');
      active.removeAttribute('aria-current');
      if (active.parentElement) { active.parentElement.classList.remove('active'); }
    }
    active = link;
    if (link) {
      link.classList.add('active');
      link.setAttribute('aria-current', 'true');
      link.parentElement.classList.add('active');
      box.setAttribute('aria-activedescendant', link.id);
      link.parentElement.scrollIntoView({block: 'nearest'});
    } else {
      box.removeAttribute('aria-activedescendant');
    }
  }

  function move(step) {
    var all = items();
    if (all.length === 0) {
      return;
    }
    var i = all.indexOf(active);
    var next = i < 0 ? (step > 0 ? 0 : all.length - 1) : i + step;
    setActive(next < 0 || next >= all.length ? null : all[next]);
  }

  // Debounced on the leading edge too: a keystroke after a pause (DEBOUNCE_MS or more since the previous one)
  // searches at once, so a reader who types at an ordinary pace waits only for the answer; keystrokes closer
  // together than that wait until DEBOUNCE_MS after the last of them, and send one request for the lot.
  function cancelPending() {
    clearTimeout(timer);
    timer = null;
  }

  function run(q) {
    timer = null;
    suggest(q);
    if (q.trim() !== shown.trim()) {
      search(q.trim());
    }
  }

  box.addEventListener('input', function () {
    setActive(null);
    var now = Date.now();
    var paused = timer === null && now - lastInput >= DEBOUNCE_MS;
    lastInput = now;
    cancelPending();
    var q = box.value;
    if (q.trim() === '') {
      ++searchSeq;
      ++suggestSeq;
      hideSuggestions();
      return;
    }
    if (paused) {
      run(q);
    } else {
      timer = setTimeout(function () { run(q); }, DEBOUNCE_MS);
    }
  });

  box.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter' && active) {
      e.preventDefault();
      if (active.hasAttribute('data-text')) {
        box.value = active.getAttribute('data-text');
        hideSuggestions();
        setActive(null);
        cancelPending();
        search(box.value.trim());
      } else {
        window.location.assign(active.href);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (!list.hidden) {
        hideSuggestions();
      } else if (active) {
        setActive(null);
      } else if (box.value) {
        box.value = '';
        ++searchSeq;
        ++suggestSeq;
      } else {
        box.blur();
      }
    }
  });

  if (box.form) {
    // The form's own submit (Enter with nothing chosen) loads the server's page: no live answer may land after it.
    box.form.addEventListener('submit', function () {
      cancelPending();
      ++searchSeq;
      ++suggestSeq;
      if (searchAbort) { searchAbort.abort(); }
    });
  }

  box.addEventListener('blur', function () {
    // Later than the click on a completion, which would otherwise be removed under the pointer.
    setTimeout(function () {
      if (document.activeElement !== box) { hideSuggestions(); }
    }, 200);
  });

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
    var slash = e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey;
    var commandK = (e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey) && !e.altKey;
    if (slash || commandK) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
