// The control plane's dashboard: the live part (#live) is reloaded from the server on each change signalled by
// /live (Server-Sent Events) and every few seconds besides; admins act on rollouts through the HTTP API with the
// admin token, kept in sessionStorage (this tab only) and sent as a Bearer token.
(() => {
  const root = document.getElementById('cluster');
  const TOKEN_KEY = 'procurator.controlPlane.adminToken';
  const $ = (id) => document.getElementById(id);
  let streaming = false;

  const showLiveState = () => {
    const badge = $('live-state');
    badge.textContent = streaming ? 'live' : 'reconnecting';
    badge.className = 'badge ' + (streaming ? 'up' : 'pending');
  };

  // Replaces #live with the server's fresh rendering of it.
  let loading = null;
  const reload = async () => {
    if (loading) return loading;
    loading = (async () => {
      try {
        const response = await fetch(root.dataset.fragmentUrl, {headers: {'Accept': 'text/html'}});
        if (response.ok) {
          const template = document.createElement('template');
          template.innerHTML = await response.text();
          const fresh = template.content.firstElementChild;
          if (fresh) {
            // Someone reading back through the timeline keeps their place.
            const scrolled = $('events') ? $('events').scrollTop : 0;
            $('live').replaceWith(fresh);
            if ($('events')) $('events').scrollTop = scrolled;
          }
          showLiveState();
        }
      } catch (e) { /* the next change or tick tries again */ }
      loading = null;
    })();
    return loading;
  };

  let soon = null;
  const stream = new EventSource(root.dataset.liveUrl);
  stream.onopen = () => { streaming = true; showLiveState(); };
  stream.onerror = () => { streaming = false; showLiveState(); };
  stream.addEventListener('changed', (event) => {
    root.dataset.lastSignal = event.data;
    // A burst of changes (a rollout step) costs one reload.
    clearTimeout(soon);
    soon = setTimeout(reload, 100);
  });
  setInterval(reload, Number(root.dataset.fallbackSeconds) * 1000);

  // --- admin ---
  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const showAdmin = () => {
    $('admin-login').hidden = !!token();
    $('admin-session').hidden = !token();
    root.classList.toggle('is-admin', !!token());
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
  });
  $('admin-logout').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); showAdmin(); });

  const act = async (vm, action, body) => {
    say(action + ' ' + vm + '…');
    try {
      const response = await fetch(root.dataset.vmsUrl + encodeURIComponent(vm) + '/' + action, {
        method: 'POST',
        // No cookies or cached credentials: the token is the credential, and a refused one must come back as a 401
        // to this code, not as the browser's login prompt (the API answers 401 with a Basic challenge).
        credentials: 'omit',
        headers: {
          'Authorization': 'Bearer ' + token(), 'Content-Type': 'application/json', 'Accept': 'application/json',
        },
        body: body ? JSON.stringify(body) : null,
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 401 || response.status === 403) {
        sessionStorage.removeItem(TOKEN_KEY);
        showAdmin();
        say('The control plane refused the token (' + (answer.message || 'HTTP ' + response.status)
          + '): enter the admin token again.', true);
      } else if (!response.ok) {
        say(action + ' ' + vm + ' refused: ' + (answer.message || 'HTTP ' + response.status), true);
      } else {
        say(action + ' ' + vm + ': rollout ' + answer.id + ' is ' + answer.state
          + (answer.reason ? ' (' + answer.reason + ')' : ''));
      }
    } catch (e) {
      say(action + ' ' + vm + ' failed: ' + e.message, true);
    }
    reload();
  };
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

  showAdmin();
})();
