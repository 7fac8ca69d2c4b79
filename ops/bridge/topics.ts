/** The bridge's MQTT topics, one tree per controller. */
export function topicsFor(id: string): { state: string; events: string; online: string } {
  return { state: `guillotine/${id}/state`, events: `guillotine/${id}/events`, online: `guillotine/${id}/online` };
}
