/** Example operations a newcomer can run as each role to see the policy at work. */
export const EXAMPLES: { label: string; query: string }[] = [
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
  contactByPhone(phone: "+91 98123 45678") {
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
    query: `# Consents are append-only: the latest record per purpose is in force.
{
  me { id name }
  caller { role purpose ticket { id expiresAt } }
}

# Then: consents(subject: { type: USER, id: "<the id above>" }) { current { purpose granted since } history { purpose status source recordedAt } }`,
  },
];
