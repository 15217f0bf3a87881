// The CI dashboard's live parts: fragments refreshed every 2 s, and step logs followed with Server-Sent Events.
const Live = {
  // Replaces `target`'s content (and data attributes) with the fragment at `url` every 2 s while `keepGoing()`.
  refresh(target, keepGoing, url) {
    const tick = async () => {
      if (!keepGoing()) return;
      try {
        const response = await fetch(url, {headers: {'Accept': 'text/html'}});
        if (response.ok) {
          // A <template> parses any fragment, table rows included.
          const template = document.createElement('template');
          template.innerHTML = await response.text();
          const fresh = template.content.firstElementChild;
          if (fresh) {
            Object.assign(target.dataset, fresh.dataset);
            target.innerHTML = fresh.innerHTML;
          }
        }
      } catch (e) { /* the next tick tries again */ }
      setTimeout(tick, 2000);
    };
    setTimeout(tick, 2000);
  },

  // Streams a step's log into `pre`: the step in `pre.dataset.step`, then each next step as the pipeline goes on,
  // until the user picks a step (a click on a step link), which is then followed alone.
  logs(pre, title, lastStep, finished) {
    let source = null;
    let auto = true;
    let current = null;
    const follow = (step) => {
      if (source) source.close();
      current = step;
      pre.textContent = '';
      title.textContent = step || '(none yet)';
      if (!step) return;
      source = new EventSource(pre.dataset.base + encodeURIComponent(step) + '/log?follow=true');
      source.addEventListener('log', (event) => { pre.textContent += event.data + '\n'; });
      source.addEventListener('end', () => { source.close(); source = null; });
    };
    const next = () => {
      const last = lastStep();
      if (auto && !source && last && last !== current) follow(last);
      if (auto && !(finished() && !source && last === current)) setTimeout(next, 1000);
    };
    document.addEventListener('click', (event) => {
      const link = event.target.closest('.step-link');
      if (link) { event.preventDefault(); auto = false; follow(link.dataset.step); }
    });
    follow(pre.dataset.step);
    setTimeout(next, 1000);
  }
};
