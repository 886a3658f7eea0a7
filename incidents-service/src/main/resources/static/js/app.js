// TC Portal Monitor: small, dependency-free script (served by the app; CSP allows only 'self').
(function () {
  'use strict';

  var ZONE_COOKIE = 'TCPORTAL_TZ';

  // Tell the server the viewer's time zone, so absolute times are shown in it.
  function rememberZone() {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      return;
    }
    if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) {
      return;
    }
    var known = document.cookie.split('; ').some(function (c) { return c === ZONE_COOKIE + '=' + zone; });
    if (!known) {
      document.cookie = ZONE_COOKIE + '=' + zone + '; path=/; max-age=31536000; samesite=lax';
      var rendered = document.body && document.body.getAttribute('data-zone');
      if (rendered && rendered !== zone) {
        window.location.reload();
      }
    }
  }

  function updateBadge(count) {
    var badge = document.getElementById('incident-badge');
    if (!badge) {
      return;
    }
    badge.textContent = String(count);
    badge.setAttribute('data-count', String(count));
    badge.hidden = count === 0;
  }

  // Re-fetch every element that names its own source (the incidents rows, a monitor's state).
  function refreshLiveParts() {
    var parts = document.querySelectorAll('[data-live-src]');
    Array.prototype.forEach.call(parts, function (part) {
      var openDetails = part.querySelectorAll('details[open]').length > 0;
      if (openDetails) {
        return; // Do not fold a message the viewer is reading.
      }
      fetch(part.getAttribute('data-live-src'), { credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } })
        .then(function (response) {
          if (response.redirected || !response.ok) {
            if (response.redirected && response.url.indexOf('/login') >= 0) {
              window.location.reload(); // The session ended: show the login page.
            }
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null || !part.isConnected) {
            return;
          }
          var template = document.createElement('template');
          template.innerHTML = html.trim();
          part.replaceWith(template.content);
        })
        .catch(function () { /* Next change or tick tries again. */ });
    });
  }

  function listen() {
    if (!window.EventSource || document.body.getAttribute('data-live') !== 'on') {
      return;
    }
    var indicator = document.getElementById('live-indicator');
    var lastVersion = null;
    var source = new EventSource('/events');
    source.addEventListener('change', function (event) {
      var marker = JSON.parse(event.data);
      updateBadge(marker.count);
      if (lastVersion !== null && marker.version !== lastVersion) {
        refreshLiveParts();
      }
      lastVersion = marker.version;
      if (indicator) {
        indicator.hidden = false;
        indicator.classList.remove('offline');
      }
    });
    source.addEventListener('error', function () {
      if (indicator) {
        indicator.classList.add('offline');
      }
    });
    // Relative times ("5分前") age even when nothing changes.
    window.setInterval(refreshLiveParts, 60000);
  }

  document.addEventListener('DOMContentLoaded', function () {
    rememberZone();
    listen();
  });
})();
