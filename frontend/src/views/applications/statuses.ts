import type { VerificationApplicationStatus } from "@/gql/graphql";

export const ALL_STATUSES: VerificationApplicationStatus[] = [
  "PENDING_REGULATOR",
  "REGULATOR_REJECTED",
  "REGULATOR_CONFIRMED",
  "SUBMITTED",
  "CONFIRMED",
  "REJECTED",
  "ACCEPTED",
  "IN_VERIFICATION",
  "COMPLETED",
];

/** Statuses an application can have once it reaches the institution. */
export const INSTITUTION_STATUSES: VerificationApplicationStatus[] = [
  "SUBMITTED",
  "CONFIRMED",
  "REJECTED",
  "ACCEPTED",
  "IN_VERIFICATION",
  "COMPLETED",
];

export const OUT_OF_PROVINCE_STATUSES: VerificationApplicationStatus[] = [
  "PENDING_REGULATOR",
  "REGULATOR_REJECTED",
  "REGULATOR_CONFIRMED",
  "SUBMITTED",
];
