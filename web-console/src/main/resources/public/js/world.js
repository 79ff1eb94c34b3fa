// World: entities, placements and views arrive with the world graph API (issue 3); until it is on this server the
// page says so instead of pretending.
import { h } from './ui.js';

export function world(root) {
  root.append(h('h2', {}, 'World'), h('div', { class: 'empty', role: 'status' },
    'The world graph (sites, zones, placements, device views) is not served by this platform version yet. ',
    'Devices and their live values are under ', h('a', { href: '#/devices' }, 'Devices'), '.'));
}
