import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:devices');
  const devices = await orError(api.listDevices());
  return { devices: devices.items };
};
