import { api } from '$lib/api';
import { orError } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:devices');
  const [devices, digest] = await orError(Promise.all([api.listDevices(), api.getDigestSetting()]));
  return { devices: devices.items, emailDigest: digest.emailDigest };
};
