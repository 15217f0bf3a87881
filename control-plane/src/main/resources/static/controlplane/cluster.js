// The control plane's dashboard: everything drawn from the JSON API. The cluster is reloaded on each event of the
// live stream (Server-Sent Events from /api/v1/events) and every few seconds besides; admins act on rollouts with the
// admin token kept in sessionStorage (this tab only).
(() => {
  const root = document.getElementById('cluster');
  const urls = {cluster: root.dataset.clusterUrl, events: root.dataset.eventsUrl, vms: root.dataset.vmsUrl};
  const fallbackMs = Number(root.dataset.fallbackSeconds) * 1000;
  const TOKEN_KEY = 'procurator.controlPlane.adminToken';
  const SHOWN_EVENTS = 100;
  const ACTIVE = ['pending', 'inProgress', 'paused', 'rollingBack'];
  const $ = (id) => document.getElementById(id);

  // --- small DOM helpers: data always goes in as text, never as HTML ---
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'style') node.style.cssText = value;
      else if (key.startsWith('data-')) node.dataset[key.slice(5).replace(/-(.)/g, (m, c) => c.toUpperCase())] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  };
  const cell = (...children) => el('td', {}, ...children);
  const badge = (text, kind) => el('span', {class: 'badge ' + (kind || '')}, text);
  const replaceRows = (tbody, rows, columns, emptyText) =>
    tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', {colspan: columns, class: 'empty'}, emptyText))]));

  const time = (iso) => iso ? new Date(iso).toLocaleString() : '–';
  const ago = (iso) => {
    if (!iso) return 'never';
    const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    return seconds < 60 ? seconds + 's ago' : seconds < 3600 ? Math.floor(seconds / 60) + 'm ago'
      : Math.floor(seconds / 3600) + 'h ago';
  };
  const number = (value) => Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  // A store path by the start of its hash; the whole path on hover.
  const closure = (path) => {
    if (!path) return el('span', {class: 'empty'}, '–');
    const short = path.startsWith('/nix/store/') ? path.substring(11, 19) : path;
    return el('code', {title: path}, short);
  };
  const stateKind = {
    ready: 'up', running: 'up', healthy: 'up', succeeded: 'success',
    suspect: 'pending', draining: 'pending', pending: 'pending', fetching: 'pending', starting: 'pending',
    stopping: 'pending', inProgress: 'pending', paused: 'pending', rollingBack: 'pending', unknown: '',
    down: 'down', failed: 'failure', unhealthy: 'down', unplaced: 'down', rolledBack: 'failure',
  };
  const stateBadge = (state) => badge(state || '–', stateKind[state]);

  // A bar of used against total, e.g. CPU allocated of capacity.
  const bar = (used, total, label) => {
    const percent = total > 0 ? Math.min(100, Math.round(used * 100 / total)) : 0;
    return el('div', {class: 'capacity', title: percent + '%'},
      el('div', {class: 'bar' + (percent >= 90 ? ' full' : '')}, el('span', {style: 'width:' + percent + '%'})),
      el('span', {class: 'bar-label'}, label));
  };

  // --- the admin token ---
  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const showAdmin = () => {
    const admin = !!token();
    $('admin-login').hidden = admin;
    $('admin-session').hidden = !admin;
    root.classList.toggle('is-admin', admin);
  };
  const say = (text, failed) => {
    const result = $('action-result');
    result.hidden = false;
    result.textContent = text;
    result.className = failed ? 'action-failed' : 'muted';
  };
  $('admin-login').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('admin-token').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('admin-token').value = '';
    showAdmin();
    render(lastCluster);
  });
  $('admin-logout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showAdmin();
    render(lastCluster);
  });

  const act = async (vm, action, body) => {
    say(action + ' ' + vm + '…');
    try {
      const response = await fetch(urls.vms + encodeURIComponent(vm) + '/' + action, {
        method: 'POST',
        headers: {'Authorization': 'Bearer ' + token(), 'Content-Type': 'application/json', 'Accept': 'application/json'},
        body: body ? JSON.stringify(body) : null,
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 401 || response.status === 403) {
        sessionStorage.removeItem(TOKEN_KEY);
        showAdmin();
        say('The control plane refused the token (' + (answer.message || response.status) + '); enter it again.', true);
      } else if (!response.ok) {
        say(action + ' ' + vm + ' refused: ' + (answer.message || 'HTTP ' + response.status), true);
      } else {
        say(action + ' ' + vm + ': rollout ' + answer.id + ' is ' + answer.state
          + (answer.reason ? ' (' + answer.reason + ')' : ''));
      }
    } catch (e) {
      say(action + ' ' + vm + ' failed: ' + e.message, true);
    }
    load();
  };

  // The operator calls a rollout in this state accepts.
  const actionsFor = (rollout) => {
    const actions = [];
    if (rollout.state === 'paused' && rollout.strategy === 'canary') actions.push('promote');
    if (rollout.state === 'pending' || rollout.state === 'inProgress') actions.push('pause');
    if (rollout.state === 'paused') actions.push('resume');
    actions.push('rollback');
    return actions;
  };
  const actionButtons = (rollout) => el('td', {class: 'admin-only'}, ...actionsFor(rollout).map((action) =>
    el('button', {type: 'button', class: 'action', 'data-action': action, 'data-vm': rollout.vm}, action)));
  root.addEventListener('click', (event) => {
    const button = event.target.closest('button.action');
    if (!button || !token()) return;
    let body = null;
    if (button.dataset.action === 'rollback') {
      const to = prompt('Roll ' + button.dataset.vm + ' back to which generation? (empty: the last good one)', '');
      if (to === null) return;
      if (to.trim()) body = {toGeneration: Number(to.trim())};
    }
    act(button.dataset.vm, button.dataset.action, body);
  });

  // --- drawing the cluster ---
  let lastCluster = null;
  const render = (cluster) => {
    if (!cluster) return;
    $('leader').textContent = cluster.leader || 'no leader elected';

    replaceRows($('worker-rows'), (cluster.workers || []).map((w) => el('tr', {'data-worker': w.id},
      cell(w.apiUrl ? el('a', {href: w.apiUrl}, w.id) : w.id, ' ', el('span', {class: 'muted'}, w.hostname)),
      cell(stateBadge(w.state)),
      cell(bar(w.allocated.cpu, w.capacity.cpu, number(w.allocated.cpu) + ' / ' + number(w.capacity.cpu) + ' CPU')),
      cell(bar(w.allocated.memoryMb, w.capacity.memoryMb, w.allocated.memoryMb + ' / ' + w.capacity.memoryMb + ' MiB')),
      cell(...(w.labels || []).map((l) => badge(l))),
      cell(el('span', {title: time(w.lastHeartbeat)}, ago(w.lastHeartbeat))))),
      6, 'No worker has registered yet: start a worker agent pointed at this control plane.');

    replaceRows($('source-rows'), (cluster.sources || []).map((s) => el('tr', {'data-source': s.repo + '@' + s.branch},
      cell(s.repo), cell(s.branch), cell(s.generation),
      cell(s.commit ? el('code', {title: s.commit}, s.commit.substring(0, 10)) : '–'),
      cell(time(s.publishedAt)))),
      5, 'No generation published yet: push a cluster flake and let CI build it.');

    replaceRows($('vm-rows'), (cluster.vms || []).map((v) => {
      const mismatch = !!v.observedClosure && v.observedClosure !== v.desiredClosure;
      return el('tr', {'data-replica': v.name + '.' + v.replica, class: mismatch ? 'mismatch' : null},
        cell(v.name, el('div', {class: 'muted'}, v.source)), cell(v.replica), cell(v.worker || '–'),
        cell(stateBadge(v.state)), cell(el('span', {class: 'health'}, stateBadge(v.health))), cell(v.generation),
        cell(closure(v.desiredClosure)),
        cell(closure(v.observedClosure), mismatch ? el('span', {class: 'mismatch-marker', title:
          'the worker runs another closure than the desired one'}, ' ≠ desired') : null),
        cell(v.message || ''));
    }), 9, 'No VM is desired.');

    replaceRows($('rollout-rows'), (cluster.rollouts || []).map((r) => el('tr', {'data-rollout': r.id, 'data-vm': r.vm,
        class: ACTIVE.includes(r.state) ? 'active' : null},
      cell(r.id), cell(r.vm), cell(r.strategy), cell(el('span', {class: 'rollout-state'}, stateBadge(r.state))),
      cell(el('div', {class: 'progress', title: 'healthy / updated / total'},
        el('div', {class: 'bar'}, el('span', {class: 'updated', style: 'width:' + share(r.updatedReplicas, r.totalReplicas)}),
          el('span', {class: 'healthy', style: 'width:' + share(r.healthyReplicas, r.totalReplicas)})),
        el('span', {class: 'bar-label'}, r.healthyReplicas + ' healthy · ' + r.updatedReplicas + ' updated · '
          + r.totalReplicas + ' total'))),
      cell(r.fromGeneration ? r.fromGeneration + ' → ' + r.generation : r.generation),
      cell(r.reason || ''), cell(time(r.updatedAt)), actionButtons(r))),
      9, 'No rollout yet.');
  };
  const share = (part, total) => (total > 0 ? Math.min(100, Math.round(part * 100 / total)) : 0) + '%';

  let loading = null;
  const load = async () => {
    if (loading) return loading;
    loading = (async () => {
      try {
        const response = await fetch(urls.cluster, {headers: {'Accept': 'application/json'}});
        const body = await response.json();
        if (!response.ok) throw new Error(body.message || 'HTTP ' + response.status);
        lastCluster = body;
        render(body);
        $('load-error').hidden = true;
        $('refreshed-at').textContent = 'updated ' + new Date().toLocaleTimeString();
      } catch (e) {
        $('load-error').hidden = false;
        $('load-error').textContent = 'Cannot load the cluster: ' + e.message;
      } finally {
        loading = null;
      }
    })();
    return loading;
  };

  // --- the events timeline and the live stream ---
  const seen = new Set();
  let lastEventId = null;
  const addEvent = (event) => {
    if (seen.has(event.id)) return;
    seen.add(event.id);
    lastEventId = lastEventId === null || event.id > lastEventId ? event.id : lastEventId;
    const list = $('events');
    list.querySelector('.empty')?.remove();
    const about = [event.vm && 'vm ' + event.vm, event.worker && 'worker ' + event.worker,
      event.generation && 'generation ' + event.generation, event.rolloutId && 'rollout ' + event.rolloutId,
      event.source].filter(Boolean).join(' · ');
    list.prepend(el('li', {'data-event': event.id},
      el('time', {datetime: event.at}, time(event.at)), ' ', badge(event.kind), ' ', event.message || '',
      about ? el('span', {class: 'muted'}, ' ' + about) : null));
    while (list.children.length > SHOWN_EVENTS) list.lastElementChild.remove();
  };
  const loadEvents = async () => {
    try {
      const response = await fetch(urls.events, {headers: {'Accept': 'application/json'}});
      if (!response.ok) return;
      const events = await response.json();
      events.sort((a, b) => a.id - b.id).forEach(addEvent);
      if (!events.length) $('events').replaceChildren(el('li', {class: 'empty'}, 'No event yet.'));
    } catch (e) { /* the stream and the next fallback tick carry on */ }
  };

  let refreshSoon = null;
  const live = (state, kind) => { const b = $('live-state'); b.textContent = state; b.className = 'badge ' + kind; };
  const stream = () => {
    const source = new EventSource(urls.events + (lastEventId !== null ? '?since=' + lastEventId : ''));
    source.onopen = () => live('live', 'up');
    source.onmessage = (message) => {
      try { addEvent(JSON.parse(message.data)); } catch (e) { /* not an event: ignore */ }
      // A burst of events (a rollout step) costs one reload.
      clearTimeout(refreshSoon);
      refreshSoon = setTimeout(load, 150);
    };
    source.onerror = () => live('reconnecting', 'pending');
  };

  showAdmin();
  load().then(loadEvents).then(stream);
  setInterval(load, fallbackMs);
})();
