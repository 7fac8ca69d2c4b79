/**
 * The bridge's MQTT topics, one tree per controller under a configurable prefix
 * (docs/operations.md has the table):
 *   <prefix>/<id>/state         retained JSON of what the daemon knows (on change, and every refresh)
 *   <prefix>/<id>/events        JSON per level change, refusal, session, link event
 *   <prefix>/<id>/availability  retained "online" while the controller answers, "offline" when silent
 *   <prefix>/<id>/bridge        retained "online" while the bridge runs; its last will is "offline"
 */
export interface Topics {
  state: string;
  events: string;
  availability: string;
  bridge: string;
}

export const TOPIC_PREFIX_DEFAULT = "guillotine";
export const DISCOVERY_PREFIX_DEFAULT = "homeassistant";
export const ONLINE = "online";
export const OFFLINE = "offline";

export function topicsFor(prefix: string, id: string): Topics {
  const base = `${prefix}/${id}`;
  return { state: `${base}/state`, events: `${base}/events`, availability: `${base}/availability`, bridge: `${base}/bridge` };
}

/** A prefix is one or more topic levels without wildcards, leading or trailing slash. */
export function checkTopicPrefix(prefix: string, option: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix)) {
    return `${option} must be topic levels of letters, digits, _ or - separated by /, got "${prefix}"`;
  }
  return undefined;
}
