// The subscriptions a long-lived component (a cache that announcements clear) holds while it
// runs: taken together when it starts, all released when it stops.

export type Unsubscribe = () => Promise<void>;

export class Subscriptions {
  private held: Unsubscribe[] = [];

  async hold(...subscribing: Array<Promise<Unsubscribe>>): Promise<void> {
    this.held.push(...(await Promise.all(subscribing)));
  }

  async release(): Promise<void> {
    const held = this.held;
    this.held = [];
    await Promise.all(held.map((off) => off()));
  }
}
