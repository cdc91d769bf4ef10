-- Runs at haproxy -c time when lua-loaded: proof that a check ran the profile's code.
os.execute("touch @@OUTSIDE@@/lua-ran")
