/** Values from the demo data that make the examples answer (development: from /dev/personas). */
export interface ExampleValues {
  /** A phone number of a contact of the first demo tenant, with calls. */
  phone?: string;
  /** A user of the first demo tenant (its ADMIN persona). */
  userId?: string;
}

/** Example operations a newcomer can run as each role to see the policy at work. */
export function examples({ phone, userId }: ExampleValues): { label: string; query: string }[] {
  return [
    {
      label: 'Contacts with their calls',
      query: `# The same question asked by an ADMIN, a PARTNER and SUPPORT gets three different answers.
{
  contacts(first: 5) {
    nodes {
      name
      email
      phone
      company
      owner { name phone }
      calls(first: 3) {
        nodes { startedAt durationSeconds counterpartyNumber notes recordingUrl }
      }
    }
  }
}`,
    },
    {
      label: 'Look up by phone',
      query: `# Spaces and dashes are ignored; an unknown number answers null.
{
  contactByPhone(phone: "${phone ?? '+15550100000'}") {
    name
    email
    lastCall { startedAt counterpartyNumber }
  }
}`,
    },
    {
      label: "A user's locations",
      query: `# Others' locations need their LOCATION_TRACKING consent, and an ADMIN sees them coarsened.
{
  users(first: 5) {
    nodes {
      name
      lastLocation { latitude longitude accuracyMeters recordedAt }
      locations(first: 3) { totalCount nodes { latitude longitude recordedAt } }
    }
  }
}`,
    },
    {
      label: "A subject's consents",
      query: userId
        ? `# Consents are append-only: the latest record per purpose is in force.
{
  caller { role purpose ticket { id expiresAt } }
  consents(subject: { type: USER, id: "${userId}" }) {
    current { purpose granted since }
    history { purpose status source recordedAt }
  }
}`
        : `# Consents are append-only: the latest record per purpose is in force.
{
  me { id name }
  caller { role purpose ticket { id expiresAt } }
}

# Then: consents(subject: { type: USER, id: "<the id above>" }) { current { purpose granted since } history { purpose status source recordedAt } }`,
    },
  ];
}
