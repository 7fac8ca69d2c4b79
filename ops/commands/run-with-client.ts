/** Opens an ops session for a command body and always closes it, whatever the body does. */
import type { OpsClient } from "../client.ts";
import { connect } from "../connect.ts";
import type { ConnectionValues } from "../connect.ts";

export async function withClient<T>(values: ConnectionValues, body: (client: OpsClient) => Promise<T>): Promise<T> {
  const client = await connect(values);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}
