/**
 * The slot factory of each wire protocol (protocols/types.ts): what one connection of a load job
 * becomes — its request slots, and how to close what the slots share. The runner looks the job's
 * protocol up here; TypeScript holds every wire protocol to having a factory.
 */
import { Http1Slot } from './http1-client.js';
import { Http2Connection, Http2Slot } from './http2-client.js';
import type { WireProtocol } from './protocols/types.js';
import type { RequestSlot, SlotOptions } from './slot.js';
import type { LoadJob } from './types.js';

export interface OpenedConnection {
  slots: RequestSlot[];
  /** Closes what the slots share (after each slot's own close()); absent when nothing is shared. */
  close?: () => void;
}

export type SlotFactory = (options: SlotOptions, job: LoadJob) => OpenedConnection;

export const SLOT_FACTORIES: Record<WireProtocol, SlotFactory> = {
  // One request at a time per connection: the connection is the slot.
  http1: (options) => ({ slots: [new Http1Slot(options)] }),
  // Each stream of one connection is a slot.
  http2: (options, job) => {
    const connection = new Http2Connection(options);
    const slots = Array.from(
      { length: job.streamsPerConnection ?? 1 },
      () => new Http2Slot(connection, options),
    );
    return { slots, close: () => connection.close() };
  },
};
