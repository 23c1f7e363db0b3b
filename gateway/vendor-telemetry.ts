/**
 * @apollo/gateway, unless told otherwise, starts a metrics exporter that reports to Apollo's
 * hosted service and, to describe the host, probes the cloud providers' metadata addresses
 * (169.254.169.254 and the like). A privacy gateway sends nothing about its traffic anywhere
 * and reaches no address it was not configured with, so this is switched off before any gateway
 * is built; it is not an operator's choice.
 */
export function disableVendorTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}
