def test_ok(hr, owner, leader):
    pass
