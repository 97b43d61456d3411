"""OTP delivery: messages, one adapter per channel, inbound webhooks, links, templates.

The outbox and worker (written by the storage layer's owner) call ``Channel.send``;
everything here is either pure or talks to exactly one platform.
"""
