/*
 * MicroNote's Web Push handlers for a service worker (plain script, no build step). The app's
 * worker (/sw.js) loads it with importScripts('/push-sw.js'); a future worker (Workbox) can do the same.
 *
 * push: a reminder (ReminderPushPayload of @micronote/contracts) becomes a notification titled with
 * the todo's text, its due time (or "late") as the body, tagged with the todo id (a snoozed
 * reminder replaces the earlier one), with Done and Snooze buttons.
 * notificationclick: a button POSTs /api/push/actions with the push's action token (no session
 * needed); a plain click focuses an open MicroNote tab on /todos, or opens one.
 */
(function (scope) {
  const APP_PATH = '/todos';

  function formatTime(iso) {
    try {
      return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    } catch {
      return iso;
    }
  }

  /** The title and options of the notification of a reminder payload (null for anything else). */
  function reminderNotification(payload) {
    if (!payload || payload.type !== 'REMINDER' || typeof payload.todoId !== 'string') return null;
    const parts = [];
    if (payload.late) parts.push('Late reminder');
    if (payload.dueDate) parts.push('Due ' + formatTime(payload.dueDate));
    else if (payload.remindAt) parts.push('Reminder for ' + formatTime(payload.remindAt));
    return {
      title: payload.text || 'Reminder',
      options: {
        body: parts.join(' · '),
        tag: 'todo-' + payload.todoId,
        renotify: true,
        requireInteraction: true,
        icon: '/favicon.svg',
        timestamp: payload.remindAt ? Date.parse(payload.remindAt) : Date.now(),
        actions: payload.actionToken
          ? [
              { action: 'done', title: 'Done' },
              { action: 'snooze', title: 'Snooze 10 min' },
            ]
          : [],
        data: { todoId: payload.todoId, actionToken: payload.actionToken || null, url: APP_PATH },
      },
    };
  }

  function readPayload(event) {
    try {
      return event.data ? event.data.json() : null;
    } catch {
      return null;
    }
  }

  function showReminder(sw, event) {
    const notification = reminderNotification(readPayload(event));
    if (!notification) return Promise.resolve();
    return sw.registration.showNotification(notification.title, notification.options);
  }

  /** Focuses an open tab of the app (on /todos) or opens one. */
  function openApp(sw, path) {
    return sw.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (const client of windows) {
        if (new URL(client.url).origin === sw.location.origin && 'focus' in client) {
          const focused = client.focus();
          return 'navigate' in client
            ? focused.then(function (c) {
                return (c || client).navigate(path);
              })
            : focused;
        }
      }
      return sw.clients.openWindow(path);
    });
  }

  /** A button: the action on the server; when that fails (offline, token expired) the app opens instead. */
  function handleClick(sw, event) {
    const data = (event.notification && event.notification.data) || {};
    event.notification.close();
    const action = event.action;
    if ((action === 'done' || action === 'snooze') && data.actionToken) {
      return sw
        .fetch('/api/push/actions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: data.actionToken, action: action }),
          credentials: 'omit',
        })
        .then(function (response) {
          if (!response.ok) return openApp(sw, data.url || APP_PATH);
        })
        .catch(function () {
          return openApp(sw, data.url || APP_PATH);
        });
    }
    return openApp(sw, data.url || APP_PATH);
  }

  scope.micronotePush = {
    reminderNotification: reminderNotification,
    showReminder: showReminder,
    handleClick: handleClick,
    openApp: openApp,
  };

  scope.addEventListener('push', function (event) {
    event.waitUntil(showReminder(scope, event));
  });
  scope.addEventListener('notificationclick', function (event) {
    event.waitUntil(handleClick(scope, event));
  });
})(globalThis);
