/**
 * Home Assistant MQTT discovery (the retained config messages under
 * <discovery prefix>/<component>/<node>/<object>/config): one device per controller, with
 * entities for the level, its cause, each path by its profile name, the heartbeat age and
 * each input. Every entity reads the retained state topic and is available only while both
 * the bridge and the controller are ("availability_mode: all"), so a dead bridge and a
 * silent controller both show as unavailable and the two availability topics tell which.
 */
import type { PathView } from "../daemon/controller-view.ts";
import type { Topics } from "./topics.ts";

export interface DiscoveryMessage {
  topic: string;
  payload: string;
}

const INPUTS: Array<{ key: string; name: string; deviceClass: string }> = [
  { key: "estop", name: "E-stop", deviceClass: "safety" },
  { key: "tamper", name: "Tamper", deviceClass: "tamper" },
  { key: "arm", name: "Arm key", deviceClass: "safety" },
  { key: "maintenance", name: "Maintenance strap", deviceClass: "problem" },
];

export interface DiscoveryDevice {
  id: string;
  firmware: string | undefined;
  model: string;
  paths: PathView[];
}

export function discoveryMessages(discoveryPrefix: string, topics: Topics, device: DiscoveryDevice): DiscoveryMessage[] {
  const node = `guillotine_${device.id.replace(/-/g, "_")}`;
  const common = {
    state_topic: topics.state,
    availability: [{ topic: topics.bridge }, { topic: topics.availability }],
    availability_mode: "all",
    device: { identifiers: [node], name: `Guillotine ${device.id}`, manufacturer: "Guillotine", model: device.model, sw_version: device.firmware },
    origin: { name: "guillotine ops daemon" },
  };
  const entity = (component: string, object: string, body: Record<string, unknown>): DiscoveryMessage => ({
    topic: `${discoveryPrefix}/${component}/${node}/${object}/config`,
    // default_entity_id (component.name) replaced the older object_id in Home Assistant 2025.10.
    payload: JSON.stringify({ ...body, unique_id: `${node}_${object}`, default_entity_id: `${component}.${node}_${object}`, ...common }),
  });
  return [
    entity("sensor", "level", { name: "Level", icon: "mdi:shield-lock", value_template: "{{ value_json.levelName }}", json_attributes_topic: topics.state, json_attributes_template: "{{ {'level': value_json.level} | tojson }}" }),
    entity("sensor", "cause", { name: "Cause", icon: "mdi:information-outline", value_template: "{{ value_json.cause }}" }),
    ...device.paths.map((path) => entity("sensor", `path_${path.name}`, {
      name: `Path ${path.name}`, icon: path.kind === "power" ? "mdi:power-plug" : "mdi:ethernet",
      value_template: `{{ value_json.paths['${path.name}'] }}`,
    })),
    entity("sensor", "heartbeat_age", {
      name: "Heartbeat age", unit_of_measurement: "ms", device_class: "duration", state_class: "measurement",
      value_template: "{{ value_json.heartbeatAgeMs }}",
    }),
    ...INPUTS.map((input) => entity("binary_sensor", input.key, {
      name: input.name, device_class: input.deviceClass, payload_on: "ON", payload_off: "OFF",
      value_template: `{{ 'ON' if value_json.inputs.${input.key} else 'OFF' }}`,
    })),
  ];
}
