import { cacheExchange, Client, fetchExchange } from "@urql/core";

import { createCsrfFetch, csrfHeaders } from "./csrf";

export const GRAPHQL_URL = "/graphql/";

/** Creates the urql client for the portal's single GraphQL endpoint. */
export function createGraphQLClient(fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): Client {
  return new Client({
    url: GRAPHQL_URL,
    exchanges: [cacheExchange, fetchExchange],
    // Every operation goes out as a JSON POST: urql would otherwise send short queries
    // as GET, which puts certificate check codes into server access logs.
    preferGetMethod: false,
    // Called for every request, so a cookie set by an earlier response is picked up.
    fetchOptions: () => ({
      credentials: "same-origin",
      headers: csrfHeaders(),
    }),
    fetch: createCsrfFetch(fetchImpl),
  });
}
