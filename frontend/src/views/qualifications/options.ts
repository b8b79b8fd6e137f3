// Look-ups behind the remote selects: catalogue items, regulations and the institution's staff.
import type { Client } from "@urql/core";

import {
  CatalogueItemOptionsDocument,
  QualificationStaffOptionsDocument,
  RegulationOptionsDocument,
} from "@/gql/graphql";

import type { Option } from "./crud";

export interface CatalogueItemLike {
  id: string;
  number: number;
  itemName: string;
}

export function catalogueOption(item: CatalogueItemLike): Option {
  return { value: item.id, label: `${item.number}. ${item.itemName}` };
}

export function regulationOption(regulation: { id: string; code: string; name: string }): Option {
  return { value: regulation.id, label: `${regulation.code} ${regulation.name}` };
}

export function optionSearches(client: Client) {
  return {
    async catalogueItems(keyword: string): Promise<Option[]> {
      const response = await client.query(CatalogueItemOptionsDocument, { keyword }).toPromise();
      return (response.data?.catalogueItemOptions ?? []).map(catalogueOption);
    },
    async regulations(keyword: string): Promise<Option[]> {
      const response = await client.query(RegulationOptionsDocument, { keyword }).toPromise();
      return (response.data?.regulationOptions ?? []).map(regulationOption);
    },
    async staff(keyword: string): Promise<Option[]> {
      const response = await client.query(QualificationStaffOptionsDocument, { keyword }).toPromise();
      return (response.data?.qualificationStaffOptions ?? []).map((user) => ({
        value: user.id,
        label: `${user.displayName}（${user.username}）`,
      }));
    },
  };
}
