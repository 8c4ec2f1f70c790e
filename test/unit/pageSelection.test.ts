import * as assert from 'node:assert/strict';
import { checkState, includedByAncestor, loadedDescendants, toggle, type TreeShape } from '../../src/shared/pageSelection';

/**
 * The ENG fixture's tree as far as it is loaded:
 *   A (201819180) ─ S (201819181) ─ P (201819183), Q (201819184)
 *                 └ D (201819182)
 *   R (65700) — not loaded
 *   O (65650) — loaded, no sub-pages
 */
function shape(loaded: Record<string, string[]>, parents: Record<string, string | null>): TreeShape {
  return { children: (id) => loaded[id], parent: (id) => parents[id] };
}
const LOADED = { A: ['S', 'D'], S: ['P', 'Q'], D: [], P: [], Q: [], O: [] };
const PARENTS = { A: null, S: 'A', D: 'A', P: 'S', Q: 'S', R: null, O: null };
const tree = shape(LOADED, PARENTS);
const set = (...ids: string[]) => new Set(ids);

describe('pageSelection: tri-state', () => {
  it('lists loaded sub-pages, parents first', () => {
    assert.deepEqual(loadedDescendants(tree, 'A'), ['S', 'D', 'P', 'Q']);
    assert.deepEqual(loadedDescendants(tree, 'R'), []);
  });

  it('checked, mixed and unchecked without "Include sub-pages"', () => {
    assert.equal(checkState(tree, 'A', set(), false), 'unchecked');
    assert.equal(checkState(tree, 'A', set('A'), false), 'mixed', 'its loaded sub-pages are not selected');
    assert.equal(checkState(tree, 'A', set('A', 'S', 'D', 'P', 'Q'), false), 'checked');
    assert.equal(checkState(tree, 'A', set('P'), false), 'mixed');
    assert.equal(checkState(tree, 'S', set('P', 'Q'), false), 'mixed', 'the page itself is not selected');
    assert.equal(checkState(tree, 'R', set('R'), false), 'checked', 'sub-pages not loaded do not count');
  });

  it('with "Include sub-pages", a selected page includes everything below it', () => {
    assert.equal(checkState(tree, 'A', set('A'), true), 'checked');
    assert.equal(checkState(tree, 'P', set('A'), true), 'checked');
    assert.equal(includedByAncestor(tree, 'P', set('A'), true), true);
    assert.equal(includedByAncestor(tree, 'P', set('A'), false), false);
    assert.equal(includedByAncestor(tree, 'A', set('A'), true), false);
    assert.equal(checkState(tree, 'A', set('S'), true), 'mixed');
  });

  it('ticking an unchecked page selects it and its loaded sub-pages (or only it, with sub-pages included anyway)', () => {
    assert.deepEqual(toggle(tree, 'S', set(), false), { add: ['S', 'P', 'Q'], remove: [] });
    assert.deepEqual(toggle(tree, 'S', set(), true), { add: ['S'], remove: [] });
  });

  it('ticking a mixed page completes it; ticking a checked page clears it and its sub-pages', () => {
    assert.deepEqual(toggle(tree, 'S', set('P'), false), { add: ['S', 'P', 'Q'], remove: [] });
    assert.deepEqual(toggle(tree, 'S', set('S', 'P', 'Q'), false), { add: [], remove: ['S', 'P', 'Q'] });
    assert.deepEqual(toggle(tree, 'A', set('A'), true), { add: [], remove: ['A', 'S', 'D', 'P', 'Q'] });
  });

  it('a page included through its parent cannot be ticked on its own', () => {
    assert.deepEqual(toggle(tree, 'P', set('A'), true), { add: [], remove: [] });
  });

  it('survives a cycle in bad data', () => {
    const loop = shape({ X: ['Y'], Y: ['X'] }, { X: 'Y', Y: 'X' });
    assert.equal(checkState(loop, 'X', set('X'), true), 'checked');
    assert.deepEqual(loadedDescendants(loop, 'X'), ['Y']);
  });
});
