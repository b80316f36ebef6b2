// What the browser walk (test_walk.py) reads in a page: an object of functions that the test
// calls through page.evaluate.
(() => {
const FILLABLE = [
  'input:not([type])', 'input[type=text]', 'input[type=email]', 'input[type=url]',
  'input[type=number]', 'input[type=date]', 'input[type=datetime-local]', 'input[type=time]',
  'input[type=tel]', 'textarea', 'select',
].join(', ');

return {
  // Everything the walk checks on a page, read in one go. A phone widens its layout to fit
  // content that sticks out, so the edge is the viewport the page was opened with.
  facts: (viewport) => {
    for (const d of document.querySelectorAll('details:not([open])')) d.open = true;
    const width = Math.min(window.innerWidth, viewport);
    // getAttribute, not .href: a link inside an SVG (the referral tree) has no string href.
    const links = [...document.querySelectorAll('a[href]')].map(a => ({
      href: new URL(a.getAttribute('href'), document.baseURI).href,
      raw: a.getAttribute('href'),
      download: a.hasAttribute('download'),
    }));

    // Elements that reach past an edge outside any scroller of their own: what makes the page
    // scroll sideways, named for the failure message.
    const sticking = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('.skip, .visually-hidden')) continue;
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      if (box.right <= width + 0.5 && box.left >= -0.5) continue;
      let scrolls = false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') { scrolls = true; break; }
      }
      if (scrolls || sticking.some(s => s.el.contains(el))) continue;
      const classes = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes;
      const text = (el.innerText || '').trim().slice(0, 40);
      sticking.push({el, text: `${name} [${Math.round(box.left)}..${Math.round(box.right)}] "${text}"`});
    }

    // Controls that reach past the edge of their card (into its padding or beyond).
    const spilling = [];
    const controls = 'main input, main select, main textarea, main button, main .btn';
    for (const el of document.querySelectorAll(controls)) {
      const card = el.closest('.card');
      if (!card || el.getClientRects().length === 0) continue;
      const box = el.getBoundingClientRect(), outer = card.getBoundingClientRect();
      const pad = parseFloat(getComputedStyle(card).paddingRight);
      if (box.right > outer.right - pad + 1) {
        spilling.push(`${el.tagName.toLowerCase()} ${el.name || el.innerText.trim().slice(0, 30)}`);
      }
    }

    // A select too narrow for its chosen option cuts the words a person has to read (16 px
    // for the arrow).
    const measure = document.createElement('canvas').getContext('2d');
    const cut = [];
    for (const select of document.querySelectorAll('select:not([multiple])')) {
      const option = select.selectedOptions[0];
      if (!option || select.getClientRects().length === 0) continue;
      const style = getComputedStyle(select);
      measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight) - 16;
      if (measure.measureText(option.text).width > room + 1) {
        cut.push(`${select.name}: "${option.text}"`);
      }
    }

    const fillable = el => el.matches(FILLABLE) && !el.disabled && !el.readOnly
      && el.getClientRects().length > 0;
    const forms = [...document.forms]
      .filter(f => f.method === 'post' && [...f.elements].some(fillable)).length;
    const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter(el => el.getClientRects().length > 0)
      .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                    && !el.getAttribute('aria-labelledby'))
      .map(el => el.name || el.id);
    // The section the page belongs to, marked in the top bar and scrolled into its view.
    const bar = document.querySelector('nav[aria-label=Main]');
    const current = bar ? [...bar.querySelectorAll('a[aria-current=page]')].map(a => {
      const box = a.getBoundingClientRect(), strip = bar.getBoundingClientRect();
      return {name: a.innerText.trim(), inView: box.left >= strip.left - 0.5
        && box.right <= strip.right + 0.5};
    }) : null;  // a print view has no top bar
    const next = document.querySelector('nav.pager a[rel=next]');
    return {
      current,
      scrollWidth: document.documentElement.scrollWidth,
      width,
      links,
      sticking: sticking.map(s => s.text).slice(0, 5),
      spilling: spilling.slice(0, 5),
      cut,
      unlabelled,
      forms,
      next: next ? next.href : null,
      // The state a page shows in its head (a conversation's "Held"): the pages it links to
      // are worth visiting again from a page in another state.
      state: [...document.querySelectorAll('.page-head .badge')]
        .map(b => b.innerText.trim()).join(' '),
      // What the page is made of: two pages of one kind with different section headings and
      // buttons mean the kind has states worth more visits.
      shape: [...new Set([...document.querySelectorAll('main h2, main h3, main button')]
        .map(e => e.innerText.replace(/\d+/g, '#').trim()))].sort().join('|'),
    };
  },

  // The rows of the list a pager belongs to: its card's items, without the pager itself.
  rows: () => {
    const pager = document.querySelector('nav.pager');
    if (!pager) return null;
    return [...pager.parentElement.querySelectorAll('li, tr')]
      .filter(row => !pager.contains(row))
      .map(row => row.innerText.trim());
  },

  // The fields a person can type into, in every POST form (details opened, as a person would
  // open them), each tagged for Playwright and known by its form (action, and rank among the
  // forms with that action) and its name (and rank among the form's fields of that name).
  fields: () => {
    for (const d of document.querySelectorAll('details:not([open])')) d.open = true;
    const fillable = el => el.matches(FILLABLE) && !el.disabled && !el.readOnly && !el.multiple
      && el.getClientRects().length > 0;
    const forms = [...document.forms];
    const out = [];
    forms.forEach((form, i) => {
      if (form.method !== 'post') return;
      const action = form.getAttribute('action') || '';
      const rank = forms.slice(0, i).filter(f => (f.getAttribute('action') || '') === action);
      const key = action + '#' + rank.length;
      const submit = [...form.elements]
        .find(b => b.type === 'submit' && b.getClientRects().length > 0);
      if (submit) submit.dataset.walkSubmit = key;
      const words = submit ? (submit.innerText || submit.value) : '';
      const seen = {};
      for (const el of [...form.elements].filter(fillable)) {
        const name = el.name || el.id;
        seen[name] = (seen[name] || 0) + 1;
        el.dataset.walk = 'w' + out.length;
        out.push({
          form: key,
          field: name + '#' + (seen[name] - 1),
          id: el.dataset.walk,
          tag: el.tagName.toLowerCase(),
          type: el.type,
          value: el.value,
          min: el.min,
          max: el.max,
          maxlength: el.maxLength,
          options: el.tagName === 'SELECT'
            ? [...el.options].filter(o => !o.disabled && o.value).map(o => o.value) : [],
          htmx: form.hasAttribute('hx-post'),
          // A person fills a form to save it, not to delete or end something.
          submittable: !!submit && !/delete|remove|merge|logout/.test(action)
            && !/delete|remove|merge|erase|log out|end conversation/i.test(words),
        });
      }
    });
    return out;
  },
};
})()
