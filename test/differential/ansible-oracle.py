"""Ansible's own reading of inventories, for test/differential (run by the ansible-core venv's
python): the host set, each host's groups and the --limit patterns given, through the same
InventoryManager that `ansible --limit` uses. REQUESTS is a JSON file: [{"file": …, "limits":
[…]}, …]; prints a JSON list with one object per request; an inventory Ansible cannot parse gives
{"error": "..."}.

    python ansible-oracle.py REQUESTS.json
"""
import json
import os
import sys

os.environ.setdefault("ANSIBLE_INVENTORY_UNPARSED_FAILED", "True")
os.environ.setdefault("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "True")

from ansible.errors import AnsibleError  # noqa: E402
from ansible.inventory.manager import InventoryManager  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402


def view(source, limits):
    try:
        inventory = InventoryManager(loader=DataLoader(), sources=[source])
    except AnsibleError as e:
        return {"error": str(e).splitlines()[0]}
    hosts = [h.name for h in inventory.get_hosts("all")]
    groups = {
        name: sorted(h.name for h in g.get_hosts())
        for name, g in inventory.groups.items()
        if name != "all"
    }
    selected = {}
    for limit in limits:
        inventory.clear_pattern_cache()
        inventory.subset(limit)
        try:
            selected[limit] = [h.name for h in inventory.get_hosts("all")]
        except AnsibleError as e:
            selected[limit] = {"error": str(e).splitlines()[0]}
        inventory.subset(None)
    return {"hosts": hosts, "groups": groups, "limits": selected}


def main() -> None:
    with open(sys.argv[1]) as f:
        requests = json.load(f)
    print(json.dumps([view(r["file"], r["limits"]) for r in requests]))


main()
