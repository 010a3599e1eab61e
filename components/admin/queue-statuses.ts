// The approval queue's statuses, shared by its page (a server component reading `?status=`) and
// the client list; a value exported from a client module would reach the server only as a reference.
export const QUEUE_STATUSES = ["pending", "approved", "rejected", "revoked"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
