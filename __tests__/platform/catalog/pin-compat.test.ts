// test-group: unit
import { expect, test } from '@jest/globals';
import { CURRENT_PINS, pinConflicts } from '../../../src/platform/catalog/pin-compat.js';

test("the pinned kind node image, kubectl, Istio and Linkerd are inside each other's supported ranges", () => {
  expect(pinConflicts(CURRENT_PINS)).toEqual([]);
});

test.each([
  [{ linkerd: 'edge-25.5.2' }, 'Linkerd edge-25.5.2 supports Kubernetes 1.22–1.32'],
  [{ istioctl: '1.25.0' }, 'Istio 1.25.0: no supported-range entry'],
  [{ kubectl: 'v1.30.0' }, 'more than one minor'],
  [{ nodeImage: 'kindest/node:v1.35.0' }, 'but the node image is 1.35'],
])('a pin out of range is named: %p', (change, message) => {
  expect(pinConflicts({ ...CURRENT_PINS, ...change }).join('\n')).toContain(message);
});
