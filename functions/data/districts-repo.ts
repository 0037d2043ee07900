import { get } from "./items.js";
import { keys } from "./keys.js";

/** A district (区) and the centres it oversees. */
export interface DistrictRecord {
  districtId: string;
  name: string;
  centreIds: string[];
}

export const getDistrict = (districtId: string) => get<DistrictRecord>(keys.district(districtId));
