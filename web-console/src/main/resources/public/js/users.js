// Admin: users (create, role, reset password, disable) and API tokens (create, shown once; revoke).
import { get, post, api } from './api.js';
import { h, ago, describeError, errorState, showResult } from './ui.js';

export function users(root) {
  const result = h('div', { class: 'result', id: 'users-result', hidden: true, role: 'status' });
  const userRows = h('tbody', { id: 'user-rows' });
  const tokenRows = h('tbody', { id: 'token-rows' });
  const roleSelect = (value, id) => h('select', { id, 'aria-label': 'Role' }, ['viewer', 'operator', 'admin'].map((r) => h('option', { value: r, selected: r === value }, r)));
  const act = async (label, call) => {
    try { const answer = await call(); showResult(result, 'ok', label + ': done'); await load(); return answer; }
    catch (e) { showResult(result, 'error', label + ' failed. ' + describeError(e)); return null; }
  };
  async function load() {
    try {
      const [u, t] = await Promise.all([get('/api/users'), get('/api/tokens')]);
      userRows.replaceChildren(...u.users.map((user) => {
        const role = roleSelect(user.role);
        role.addEventListener('change', () => act('Role of ' + user.username, () => api('PATCH', '/api/users/' + encodeURIComponent(user.username), { role: role.value })));
        return h('tr', { dataset: { username: user.username } }, h('td', {}, user.username), h('td', {}, role),
          h('td', {}, user.disabled ? 'disabled' : 'active'), h('td', {}, ago(user.passwordSetAt)),
          h('td', {}, h('button', { type: 'button', onclick: () => act((user.disabled ? 'Enable ' : 'Disable ') + user.username,
            () => api('PATCH', '/api/users/' + encodeURIComponent(user.username), { disabled: !user.disabled })) }, user.disabled ? 'Enable' : 'Disable'),
          ' ', h('button', { type: 'button', onclick: () => {
            const password = prompt('New password for ' + user.username + ' (at least 10 characters):');
            if (password) act('Password of ' + user.username, () => api('PATCH', '/api/users/' + encodeURIComponent(user.username), { password }));
          } }, 'Reset password'),
          ' ', h('button', { type: 'button', class: 'danger', onclick: () => {
            if (confirm('Delete user ' + user.username + ' with their tokens?')) act('Delete ' + user.username, () => api('DELETE', '/api/users/' + encodeURIComponent(user.username)));
          } }, 'Delete')));
      }));
      tokenRows.replaceChildren(...(t.tokens.length ? t.tokens.map((token) => h('tr', {}, h('td', {}, token.name), h('td', {}, token.hint),
        h('td', {}, token.username), h('td', {}, token.role), h('td', {}, ago(token.lastUsedAt)),
        h('td', {}, token.revokedAt ? 'revoked' : token.expiresAt ? 'until ' + new Date(token.expiresAt).toLocaleDateString() : 'active'),
        h('td', {}, token.revokedAt ? '' : h('button', { type: 'button', class: 'danger', onclick: () => act('Revoke token ' + token.name, () => api('DELETE', '/api/tokens/' + token.id)) }, 'Revoke'))))
        : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No API tokens yet.'))]));
    } catch (e) {
      userRows.replaceChildren(h('tr', {}, h('td', { colspan: 5 }, errorState(e))));
    }
  }
  const newName = h('input', { id: 'new-username', 'aria-label': 'User name', placeholder: 'user name', required: true });
  const newPassword = h('input', { id: 'new-password', type: 'password', 'aria-label': 'Password', placeholder: 'password (10+ characters)', required: true, autocomplete: 'new-password' });
  const newRole = roleSelect('viewer', 'new-role');
  const tokenName = h('input', { id: 'token-name', 'aria-label': 'Token name', placeholder: 'what it is for', required: true });
  const tokenUser = h('input', { id: 'token-user', 'aria-label': 'For user', placeholder: 'user (default: you)' });
  const tokenRole = h('select', { id: 'token-role', 'aria-label': 'Token role' }, h('option', { value: '' }, "user's role"), ['viewer', 'operator', 'admin'].map((r) => h('option', { value: r }, r)));
  const secret = h('div', { id: 'token-secret' });
  root.append(h('h2', {}, 'Users and API tokens'), result,
    h('section', {}, h('h3', {}, 'Users'),
      h('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); act('Create ' + newName.value, () => post('/api/users', { username: newName.value, password: newPassword.value, role: newRole.value })).then((ok) => { if (ok) { newName.value = ''; newPassword.value = ''; } }); } },
        newName, newPassword, newRole, h('button', { class: 'primary', type: 'submit' }, 'Create user')),
      h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['User', 'Role', 'Status', 'Password set', ''].map((t) => h('th', { scope: 'col' }, t)))), userRows))),
    h('section', {}, h('h3', {}, 'API tokens for scripts'),
      h('form', { class: 'toolbar', onsubmit: async (e) => {
        e.preventDefault();
        const body = { name: tokenName.value };
        if (tokenUser.value) body.username = tokenUser.value;
        if (tokenRole.value) body.role = tokenRole.value;
        const token = await act('Create token ' + tokenName.value, () => post('/api/tokens', body));
        if (token) secret.replaceChildren(h('div', { class: 'secret' }, h('strong', {}, 'Shown only now: '), token.note, h('pre', {}, token.token),
          h('pre', {}, "curl -H 'Authorization: Bearer " + token.token + "' " + location.origin + '/api/devices')));
      } }, tokenName, tokenUser, tokenRole, h('button', { class: 'primary', type: 'submit' }, 'Create token')),
      secret,
      h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Starts with', 'User', 'Role', 'Last used', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))), tokenRows))));
  load();
}
