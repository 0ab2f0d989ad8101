import type { Channel, Delivery } from '@desk/core';

/**
 * The web chat visitor reads messages straight from Desk (GET or the stream), so they are
 * delivered the moment they are stored; every other channel goes through the outbox.
 */
export function usesOutbox(channel: Channel): boolean {
  return channel !== 'webchat';
}

export function initialDelivery(channel: Channel): Delivery {
  return usesOutbox(channel) ? { state: 'pending', attempts: 0 } : { state: 'delivered' };
}
